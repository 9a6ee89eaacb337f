// The notice on a page the infobutton entry page opened for a language the library lacks, or for another
// script of one it has (?requested-language=<id>, careleaf/model/patient_language.py). The language's names come
// from the build's table for this page's language (the file data-names points to), looked up by that id:
// the address never supplies text, and an id the table lacks gets the sentence that names no language.
(function () {
  "use strict";
  var notice = document.querySelector(".careleaf-notice--language");
  var asked = notice && new URLSearchParams(window.location.search).get(notice.dataset.parameter);
  if (!asked) {
    return;
  }

  function show(names) {
    var entry = Object.prototype.hasOwnProperty.call(names, asked) ? names[asked] : null;
    var sentence = notice.querySelector("[data-form='" + (!entry ? "unnamed" : entry[1] ? "named_own" : "named") + "']");
    if (entry) {
      sentence.querySelectorAll("[data-slot='name']").forEach(function (slot) {
        slot.textContent = entry[0];
      });
      sentence.querySelectorAll("[data-slot='autonym']").forEach(function (slot) {
        slot.textContent = entry[1];
        slot.lang = asked;  // an id of the table, written in its own language (WCAG 3.1.2)
      });
    }
    sentence.hidden = false;
    notice.hidden = false;
  }

  // Fetched only here, when a notice is due: a few kilobytes no other visit pays for.
  fetch(notice.dataset.names).then(function (response) {
    return response.ok ? response.json() : {};
  }).catch(function () {
    return {};
  }).then(function (names) {
    show(names && typeof names === "object" ? names : {});
  });
}());
