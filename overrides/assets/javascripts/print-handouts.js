// "Print several handouts": the cover lists the ticked articles; Print fetches each article page
// from this site, adds its content after the cover (as the PDF printer does) and opens the print dialog.
(function () {
  "use strict";
  var form = document.querySelector(".careleaf-packet__form");
  if (!form) {
    return;
  }
  var chosen = document.querySelector(".careleaf-packet__chosen");
  var status = form.querySelector(".careleaf-packet__status");

  function ticked() {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="article"]:checked'));
  }

  function listChosen() {
    chosen.replaceChildren.apply(chosen, ticked().map(function (box) {
      var item = document.createElement("li");
      item.textContent = box.dataset.title;
      item.lang = box.dataset.lang;
      item.dir = box.dataset.dir;
      return item;
    }));
  }

  // One article's printable content, with its addresses made absolute (they were relative to it).
  function part(address) {
    var url = new URL(address, document.baseURI);
    return fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status + " " + url);
      }
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var content = page.querySelector(".md-content");
      content.querySelectorAll("[src]").forEach(function (element) {
        element.setAttribute("src", new URL(element.getAttribute("src"), url).href);
      });
      content.querySelectorAll("a[href]").forEach(function (link) {
        link.setAttribute("href", new URL(link.getAttribute("href"), url).href);
      });
      var section = document.createElement("section");  // a section keeps its language in the PDF; a div does not
      section.className = "careleaf-part";
      section.lang = page.documentElement.lang;
      section.dir = page.body.dir || "ltr";
      section.append(document.importNode(content, true));
      return section;
    });
  }

  function clearParts() {
    document.querySelectorAll(".careleaf-part").forEach(function (section) {
      section.remove();
    });
    document.documentElement.classList.remove("careleaf-large-print");
  }

  form.addEventListener("change", listChosen);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var boxes = ticked();
    if (!boxes.length) {
      status.textContent = form.dataset.none;
      return;
    }
    var english = form.querySelector('input[name="with_english"]');
    var addresses = [];
    boxes.forEach(function (box) {
      addresses.push(box.value);
      if (english && english.checked && box.dataset.english) {
        addresses.push(box.dataset.english);
      }
    });
    status.textContent = form.dataset.loading;
    clearParts();
    Promise.all(addresses.map(part)).then(function (sections) {
      var main = document.querySelector(".md-main__inner");
      sections.forEach(function (section) {
        main.append(section);
      });
      document.documentElement.classList.toggle("careleaf-large-print", form.querySelector('input[name="large_print"]').checked);
      status.textContent = "";
      window.print();
    }).catch(function () {
      status.textContent = form.dataset.failed;
    });
  });
  window.addEventListener("afterprint", clearParts);
  listChosen();
}());
