// The infobutton entry page: read an HL7 Infobutton request (URL-based implementation guide) from the
// address, find the article for its diagnosis code as careleaf/model/codes.py's CodeIndex.match does, and open
// it in the patient's language. The data comes with the page (#careleaf-infobutton-data): nothing is
// fetched and nothing about the request is sent anywhere.
(function () {
  "use strict";
  var block = document.getElementById("careleaf-infobutton-data");
  var page = document.querySelector(".careleaf-infobutton");
  if (!block || !page) {
    return;
  }
  var data = JSON.parse(block.textContent);
  var MAIN = "mainsearchcriteria.v.";

  // Parameter values by lower-case name: HL7 writes them in camelCase, some senders lower-case them.
  function parameters(query) {
    var found = {};
    new URLSearchParams(query).forEach(function (value, name) {
      var key = name.toLowerCase();
      (found[key] = found[key] || []).push(value);
    });
    return found;
  }

  // Each requested code with its system and display name: repeated .v.c (paired by position, one .v.cs
  // serving all), then numbered .v.c0, .v.c1… (each with its own .v.cs<n>, .v.dn<n>), in that order.
  function requests(params) {
    var systems = params[MAIN + "cs"] || [];
    var names = params[MAIN + "dn"] || [];
    var found = (params[MAIN + "c"] || []).map(function (code, position) {
      return {code: code, system: systems[Math.min(position, systems.length - 1)], name: names[position]};
    });
    Object.keys(params).map(function (key) {
      return (/^mainsearchcriteria\.v\.c(\d+)$/).exec(key);
    }).filter(Boolean).sort(function (a, b) {
      return Number(a[1]) - Number(b[1]);
    }).forEach(function (numbered) {
      var n = numbered[1];
      params[numbered[0]].forEach(function (code) {
        found.push({code: code, system: (params[MAIN + "cs" + n] || systems)[0], name: (params[MAIN + "dn" + n] || [])[0]});
      });
    });
    return found;
  }

  // codes.system_oid: an OID, URI or name ("ICD-10-CM", "snomedct"), or null for one we do not know.
  function systemOid(name) {
    var text = (name || "").trim();
    return data.aliases[text] || data.aliases[text.replace(/[\s_-]+/g, "").toLowerCase()] || null;
  }

  // CodeIndex.match: the articles whose entry matches most specifically (several when tied), [] for none.
  function match(request) {
    var system = systemOid(request.system);
    if (!system || !request.code) {
      return [];
    }
    var prefix = data.prefix_systems.indexOf(system) >= 0;
    var code = prefix ? request.code.trim().replace(/\./g, "").toUpperCase() : request.code.trim();
    var seventh = code.charAt(data.seventh_position - 1);
    var best = {};
    data.codes.forEach(function (entry) {
      var hit = entry.system === system && (prefix
        ? code.indexOf(entry.code) === 0 && (!entry.seventh || code.length < data.seventh_position || entry.seventh.indexOf(seventh) >= 0)
        : code === entry.code);
      if (hit && !(best[entry.slug] >= entry.rank)) {
        best[entry.slug] = entry.rank;
      }
    });
    var top = Math.max.apply(null, Object.values(best));
    return Object.keys(best).filter(function (slug) {
      return best[slug] === top;
    }).sort();
  }

  // A table's entry, never a property every object has ("constructor", "__proto__").
  function own(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }

  // PatientLanguages.answer (careleaf/model/patient_language.py), on the table it made: the built language that
  // answers a requested language code (null: none asked), and the language a notice names (null: none).
  function patientLanguage(code) {
    var table = data.patient_language;
    var subtags = String(code === undefined || code === null ? "" : code)
      .replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "")
      .replace(/[A-Z]/g, function (letter) {
        return letter.toLowerCase();
      })
      .replace(/_/g, "-").split("-");
    if (subtags[0] === "" || subtags[0] === "und") {
      return {language: null, asked: null};
    }
    var language = own(table.languages, subtags[0]);
    if (language === undefined) {
      return {language: table.fallback, asked: table.unknown};
    }
    if (own(table.any_script, language) === undefined) {
      return {language: table.fallback, asked: language};
    }
    // A known script subtag, else the first region CLDR gives a script for, else the language's script.
    var known = function (pattern) {
      return subtags.slice(1).filter(function (subtag) {
        return pattern.test(subtag) && own(table.scripts, language + "-" + subtag) !== undefined;
      })[0];
    };
    var subtag = known(/^[a-z]{4}$/) || known(/^(?:[a-z]{2}|[0-9]{3})$/);
    var script = table.scripts[subtag ? language + "-" + subtag : language];
    var built = own(table.built, (language + "-" + script).toLowerCase());
    return built !== undefined ? {language: built, asked: null}
      : {language: table.any_script[language], asked: language + "-" + script};
  }

  function address(path) {
    return new URL(data.root + "/" + path, window.location.href).href;
  }

  var params = parameters(window.location.search);
  var answer = patientLanguage((params["informationrecipient.languagecode.c"] || [])[0]);
  var lang = answer.language || data.lang;
  // The page opened names the language asked for from its own table (language-notice.js), by this id only.
  var noticeQuery = answer.asked ? "?" + new URLSearchParams([[data.patient_language.parameter, answer.asked]]) : "";
  var asked = requests(params);
  var slugs = [];
  for (var i = 0; i < asked.length && !slugs.length; i += 1) {
    slugs = match(asked[i]);  // the first requested code that an article answers
  }
  if (slugs.length === 1) {
    window.location.replace(address(data.articles[slugs[0]][lang]) + noticeQuery);
    return;
  }
  if (lang !== data.lang) {
    // The list or the message is read in the patient's language: this page in that language says it.
    window.location.replace(address(data.pages[lang]) + window.location.search);
    return;
  }
  if (answer.asked) {
    // This page answers: its own notice reads the language asked for from the address, as an article's does.
    var here = new URL(window.location.href);
    here.searchParams.set(data.patient_language.parameter, answer.asked);
    window.history.replaceState(null, "", here.href);
  }

  var message = page.querySelector(".careleaf-infobutton__message");
  if (slugs.length) {
    message.textContent = message.dataset.several;
    var list = page.querySelector(".careleaf-infobutton__matches ul");
    page.querySelectorAll(".careleaf-library [data-slug]").forEach(function (card) {
      if (slugs.indexOf(card.dataset.slug) >= 0) {
        list.append(card.cloneNode(true));
      }
    });
    page.querySelector(".careleaf-infobutton__matches").hidden = false;
    page.querySelector(".careleaf-library").hidden = true;
    return;
  }
  message.textContent = asked.length ? message.dataset.noMatch : message.dataset.noCode;
  var names = [];
  Object.keys(params).filter(function (key) {
    return (/^mainsearchcriteria\.v\.dn\d*$/).test(key);
  }).forEach(function (key) {
    params[key].forEach(function (name) {
      if (name.trim() && names.indexOf(name.trim()) < 0) {
        names.push(name.trim());
      }
    });
  });
  if (names.length) {
    // As text, never as markup: a display name is whatever the record system sent.
    page.querySelector(".careleaf-infobutton__name").textContent = new Intl.ListFormat(data.lang).format(names);
    page.querySelector(".careleaf-infobutton__asked").hidden = false;
  }
  var search = page.querySelector(".careleaf-infobutton__search");
  search.hidden = false;
  search.querySelector("button").addEventListener("click", function () {
    // Material's search opens when its toggle turns on, and takes the focus.
    var toggle = document.getElementById("__search");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    document.querySelector(".md-search__input").focus();
  });
}());
