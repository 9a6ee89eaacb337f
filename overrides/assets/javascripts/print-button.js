// The Print button: a listener from this file, as the Content-Security-Policy refuses inline handlers.
document.querySelectorAll(".careleaf-actions__print").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    window.print();
  });
});
