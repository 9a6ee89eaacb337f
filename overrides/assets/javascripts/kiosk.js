// Careleaf kiosk mode: no way off the kiosk, and back to the start when a reader walks away.
(function () {
  "use strict";
  var settings = document.getElementById("careleaf-kiosk");
  if (!settings) return;

  // A link that would leave the kiosk (another site, a phone number) becomes its plain text.
  document.querySelectorAll("a[href]").forEach(function (link) {
    var target = new URL(link.getAttribute("href"), location.href);
    if (target.protocol === location.protocol) return;
    var text = document.createElement("span");
    text.className = "careleaf-kiosk-address";
    var address = target.protocol === "tel:" ? "" : target.href;
    text.textContent = link.textContent.indexOf(address) >= 0 ? link.textContent : link.textContent + " (" + address + ")";
    link.replaceWith(text);
  });

  // Idle: forget this reader (search, stored settings) and return to the language choice.
  var idle = Number(settings.dataset.idleSeconds) * 1000;
  var home = new URL(settings.dataset.home, location.href).href;
  var timer = null;
  function returnHome() {
    try {
      sessionStorage.clear();
      localStorage.clear();
    } catch (error) {
      // Storage may be unavailable from file://; nothing to forget then.
    }
    location.replace(home);
  }
  function restart() {
    clearTimeout(timer);
    timer = setTimeout(returnHome, idle);
  }
  ["pointerdown", "keydown", "touchstart", "wheel", "input"].forEach(function (type) {
    document.addEventListener(type, restart, { capture: true, passive: true });
  });
  restart();
})();
