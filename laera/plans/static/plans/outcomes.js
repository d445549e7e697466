/*
 * The learning-outcome form: choosing a depth (an NKR verb such as "kan anvende") puts its opening, in
 * the plan's language, into the outcome's text when the text is empty (or holds nothing but another
 * opening put there before), and checks the category the depth belongs to. A text the person has written
 * is never changed. The openings and categories come from the server in the depth select's data
 * attributes (OutcomeForm); the form may arrive by HTMX, so the listener sits on the document.
 *
 * Loaded with `defer` on the pages that show the form; no inline script and no eval (CSP script-src 'self').
 */
(function () {
  "use strict";

  function parse(text) {
    try {
      return JSON.parse(text || "{}");
    } catch (error) {
      return {};
    }
  }

  function openingFor(select) {
    var openings = parse(select.getAttribute("data-nkr-openings"));
    var categories = parse(select.getAttribute("data-nkr-categories"));
    return { openings: openings, categories: categories };
  }

  function onlyAnOpening(value, openings) {
    var text = value.trim();
    if (text === "") {
      return true;
    }
    return Object.keys(openings).some(function (key) {
      return openings[key] === text;
    });
  }

  function chooseCategory(select, category) {
    var form = select.form;
    var name = select.getAttribute("data-nkr-category");
    if (!form || !name || !category) {
      return;
    }
    var radios = form.querySelectorAll('input[type="radio"]');
    Array.prototype.forEach.call(radios, function (radio) {
      if (radio.name === name && radio.value === category && !radio.checked) {
        radio.checked = true;
      }
    });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-nkr-openings")) {
      return;
    }
    var key = select.value;
    if (!key) {
      return;
    }
    var data = openingFor(select);
    // By name inside the same form: two editors open on one page may share element ids.
    var text = select.form ? select.form.elements.namedItem(select.getAttribute("data-nkr-text") || "") : null;
    var opening = data.openings[key];
    if (text && opening && onlyAnOpening(text.value, data.openings)) {
      text.value = opening + " ";
    }
    chooseCategory(select, data.categories[key]);
  });
})();
