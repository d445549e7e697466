/*
 * Læra's page behaviour: focus and status after HTMX swaps, the filter on long checkbox lists, and the
 * person picker.
 *
 * HTMX conventions (docs/frontend.md has the longer version):
 * - After every swap, focus moves to what appeared: the first element in the new content marked
 *   `data-focus`, else the first `[autofocus]`, else the first heading (given tabindex="-1" so it can
 *   take focus). A swap whose trigger or target sits inside `[data-focus-stay]` (a live search box, an
 *   answer that saves itself while the person goes on answering) keeps focus where it is, unless the
 *   new content asks for it with `data-focus` or `[autofocus]`. If nothing fits and focus was lost
 *   with the swapped-out content, the swap target takes focus.
 * - The text of an element marked `data-status` in the new content is announced in the page's single
 *   live region, #laera-status in base.html. It is cleared first, so the same message twice is
 *   announced twice.
 * - A failed request (an error status, or no answer at all) announces the region's `data-error-text`
 *   (or `data-offline-text`), which Django renders in the page's language.
 * - Nothing moves focus when a page loads: the browser's own `autofocus` handles the one case where it
 *   should (an error summary after a failed submit).
 *
 * Loaded with `defer`; the Content-Security-Policy allows scripts from 'self' only and HTMX runs with
 * allowEval false, so nothing here uses inline handlers or eval.
 */
(function () {
  "use strict";

  // One request can settle several elements (its target and out-of-band swaps): one state per request.
  var swaps = new WeakMap();
  var announceTimer = null;

  function statusRegion() {
    return document.getElementById("laera-status");
  }

  function announce(text) {
    var region = statusRegion();
    if (!region || !text) {
      return;
    }
    region.textContent = "";
    if (announceTimer) {
      window.clearTimeout(announceTimer);
    }
    // A short pause between clearing and writing makes screen readers treat it as a new message.
    announceTimer = window.setTimeout(function () {
      region.textContent = text;
      announceTimer = null;
    }, 100);
  }

  function normalise(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function firstMatch(root, selector) {
    if (root.matches && root.matches(selector)) {
      return root;
    }
    return root.querySelector(selector);
  }

  function isVisible(element) {
    return !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length);
  }

  function focusTarget(root, stay) {
    var wanted = firstMatch(root, "[data-focus]") || firstMatch(root, "[autofocus]");
    if (wanted && isVisible(wanted)) {
      return wanted;
    }
    if (stay) {
      return null;
    }
    var heading = firstMatch(root, "h1, h2, h3, h4, h5, h6");
    if (heading && isVisible(heading)) {
      if (!heading.hasAttribute("tabindex")) {
        heading.setAttribute("tabindex", "-1");
      }
      return heading;
    }
    return null;
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function moveFocus(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "nearest" });
  }

  function afterSettle(event) {
    var detail = event.detail || {};
    var root = event.target;
    if (!(root instanceof Element) || !root.isConnected) {
      return;
    }
    var key = detail.xhr || detail.requestConfig || event;
    var state = swaps.get(key);
    if (!state) {
      state = { focused: false, announced: [] };
      swaps.set(key, state);
    }

    var status = root.querySelectorAll("[data-status]");
    var texts = [];
    if (root.hasAttribute("data-status")) {
      texts.push(normalise(root.textContent));
    }
    status.forEach(function (element) {
      texts.push(normalise(element.textContent));
    });
    texts.forEach(function (text) {
      if (text && state.announced.indexOf(text) === -1) {
        state.announced.push(text);
      }
    });
    if (state.announced.length) {
      announce(state.announced.join(" "));
    }

    if (state.focused) {
      return;
    }
    var trigger = detail.requestConfig && detail.requestConfig.elt;
    var stay =
      (trigger instanceof Element && trigger.closest("[data-focus-stay]") !== null) ||
      root.closest("[data-focus-stay]") !== null;
    var target = focusTarget(root, stay);
    if (target) {
      state.focused = true;
      moveFocus(target);
    } else if (focusLost() && detail.target instanceof Element && detail.target.isConnected) {
      state.focused = true;
      moveFocus(detail.target);
    }
  }

  function failed(kind) {
    return function () {
      var region = statusRegion();
      if (!region) {
        return;
      }
      announce(region.getAttribute(kind) || region.getAttribute("data-error-text"));
    };
  }

  // A filter box above a long list of checkboxes (`[data-filter-list]`), hiding the boxes whose label
  // does not contain what was typed. Without JavaScript the list is a plain list of checkboxes.
  function enhanceFilterList(list) {
    if (list.hasAttribute("data-filter-ready")) {
      return;
    }
    list.setAttribute("data-filter-ready", "");
    var options = Array.prototype.slice.call(list.querySelectorAll("[data-filter-option]"));
    var legend = list.querySelector("legend");
    var field = document.createElement("div");
    field.className = "ds-field laera-filter";
    var label = document.createElement("label");
    label.className = "ds-label";
    label.setAttribute("data-weight", "regular");
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ds-input";
    input.id = list.id + "-filter";
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.textContent = list.getAttribute("data-filter-label") || "Filter";
    var count = document.createElement("p");
    count.className = "ds-paragraph laera-filter__count";
    count.setAttribute("data-size", "sm");
    count.id = list.id + "-filter-count";
    count.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", count.id);
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(count);
    if (legend && legend.nextSibling) {
      list.insertBefore(field, legend.nextSibling);
    } else {
      list.insertBefore(field, list.firstChild);
    }

    function update() {
      var query = normalise(input.value).toLowerCase();
      var shown = 0;
      options.forEach(function (option) {
        var box = option.querySelector("input");
        var match = !query || normalise(option.textContent).toLowerCase().indexOf(query) !== -1;
        // Chosen people stay in view, so the filter never hides what is about to be saved.
        var visible = match || (box && box.checked);
        // Not the hidden attribute: the option's own display rule would override it.
        option.style.display = visible ? "" : "none";
        if (visible) {
          shown += 1;
        }
      });
      var template = list.getAttribute("data-filter-count") || "";
      count.textContent = query ? template.replace("%(shown)s", shown).replace("%(total)s", options.length) : "";
    }

    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter box filters; it must not submit the form around it.
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  // The person picker (laera/organisations/widgets.py, organisations/widgets/person_picker.html). Without
  // JavaScript the chosen people are ticked checkboxes (radio buttons for one person) and the search box is
  // posted with the form, which comes back with the matches to tick. Here each chosen person becomes a
  // hidden input of the field's name with a remove button (the <template> the server put beside it), the
  // search box leaves the form, HTMX fetches the matches as the person types (hx-get on the box), and
  // choosing a match adds its <template> to the chosen: for one person, in place of the one before.
  // Keyboard: ArrowDown from the box to the matches, ArrowUp/ArrowDown/Home/End between them, Escape or
  // ArrowUp from the first back to the box; Enter or Space chooses (they are buttons), and Enter in the box
  // searches at once instead of submitting the form.
  function pickerParts(picker) {
    return {
      chosen: picker.querySelector("[data-picker-chosen]"),
      empty: picker.querySelector("[data-picker-empty]"),
      search: picker.querySelector("[data-picker-search]"),
      results: picker.querySelector(".laera-picker__results"),
    };
  }

  function pickerUpdated(picker) {
    var parts = pickerParts(picker);
    if (parts.chosen) {
      parts.chosen.hidden = !parts.chosen.querySelector("[data-picker-item]");
      if (parts.empty) {
        parts.empty.hidden = !parts.chosen.hidden;
      }
    }
  }

  function enhancePicker(picker) {
    if (picker.hasAttribute("data-picker-ready")) {
      return;
    }
    picker.setAttribute("data-picker-ready", "");
    picker.querySelectorAll("[data-picker-item]").forEach(function (item) {
      var template = item.querySelector("template[data-picker-js]");
      if (template) {
        item.replaceWith(template.content.cloneNode(true));
      }
    });
    picker.querySelectorAll("[data-picker-nojs]").forEach(function (element) {
      element.remove();
    });
    var search = pickerParts(picker).search;
    if (search) {
      // An owner that does not exist: what is typed is a search, never part of what the form sends.
      search.setAttribute("form", "");
    }
    pickerUpdated(picker);
  }

  function pickerChoose(button) {
    var picker = button.closest("[data-picker]");
    var template = button.parentElement && button.parentElement.querySelector("template");
    var item = template && template.content.firstElementChild;
    if (!picker || !item) {
      return;
    }
    var parts = pickerParts(picker);
    var value = item.querySelector("input").value;
    if (picker.getAttribute("data-multiple") !== "true") {
      parts.chosen.replaceChildren();
    }
    var already = Array.prototype.some.call(parts.chosen.querySelectorAll("input"), function (input) {
      return input.value === value;
    });
    if (!already) {
      parts.chosen.appendChild(item.cloneNode(true));
    }
    parts.search.value = "";
    parts.results.replaceChildren();
    pickerUpdated(picker);
    parts.search.focus();
    announce(button.getAttribute("data-status-text"));
  }

  function pickerRemove(button) {
    var picker = button.closest("[data-picker]");
    var item = button.closest("[data-picker-item]");
    if (!picker || !item) {
      return;
    }
    item.remove();
    pickerUpdated(picker);
    pickerParts(picker).search.focus();
    announce(button.getAttribute("data-status-text"));
  }

  function pickerKeys(event) {
    var target = event.target;
    var picker = target instanceof Element ? target.closest("[data-picker][data-picker-ready]") : null;
    if (!picker) {
      return;
    }
    var parts = pickerParts(picker);
    var options = Array.prototype.slice.call(parts.results.querySelectorAll("[data-picker-choose]"));
    var next = null;
    if (target === parts.search) {
      if (event.key === "Enter") {
        event.preventDefault();
        target.dispatchEvent(new Event("search"));
      } else if (event.key === "ArrowDown" && options.length) {
        next = options[0];
      }
    } else if (options.indexOf(target) !== -1) {
      var index = options.indexOf(target);
      next = {
        ArrowDown: options[index + 1],
        ArrowUp: index > 0 ? options[index - 1] : parts.search,
        Home: options[0],
        End: options[options.length - 1],
        Escape: parts.search,
      }[event.key];
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  function pickerClick(event) {
    var button = event.target instanceof Element ? event.target.closest("[data-picker-choose], [data-picker-remove]") : null;
    if (!button || !button.closest("[data-picker][data-picker-ready]")) {
      return;
    }
    event.preventDefault();
    if (button.hasAttribute("data-picker-choose")) {
      pickerChoose(button);
    } else {
      pickerRemove(button);
    }
  }

  // A search's answer is swapped in only while the box still holds what was searched: an answer that
  // comes after the person typed on, or chose someone (which empties the box), would show stale matches
  // and announce them over the choice. Nothing is asked when the answer is already shown (Enter on the
  // same text would replace the matches under the person's feet), nor for an empty box with nothing below.
  function pickerBeforeRequest(event) {
    var search = event.detail && event.detail.elt;
    if (!(search instanceof Element) || !search.matches("[data-picker-search]")) {
      return;
    }
    var picker = search.closest("[data-picker]");
    var shown = picker ? pickerParts(picker).results.firstElementChild !== null : false;
    var value = normalise(search.value);
    if (shown ? value === search.getAttribute("data-picker-sent") : !value) {
      event.preventDefault();
      return;
    }
    search.setAttribute("data-picker-sent", value);
  }

  function pickerBeforeSwap(event) {
    var config = event.detail && event.detail.requestConfig;
    var search = config && config.elt;
    if (search instanceof Element && search.matches("[data-picker-search]")) {
      if (normalise(search.value) !== search.getAttribute("data-picker-sent")) {
        event.detail.shouldSwap = false;
      }
    }
  }

  function enhance(root) {
    if (!(root instanceof Element) && root !== document) {
      return;
    }
    root.querySelectorAll("[data-filter-list]").forEach(enhanceFilterList);
    if (root instanceof Element && root.matches("[data-filter-list]")) {
      enhanceFilterList(root);
    }
    root.querySelectorAll("[data-picker]").forEach(enhancePicker);
    if (root instanceof Element && root.matches("[data-picker]")) {
      enhancePicker(root);
    }
  }

  document.addEventListener("htmx:afterSettle", afterSettle);
  document.addEventListener("click", pickerClick);
  document.addEventListener("htmx:beforeRequest", pickerBeforeRequest);
  document.addEventListener("htmx:beforeSwap", pickerBeforeSwap);
  document.addEventListener("keydown", pickerKeys);
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
  document.addEventListener("htmx:responseError", failed("data-error-text"));
  document.addEventListener("htmx:sendError", failed("data-offline-text"));
  document.addEventListener("htmx:timeout", failed("data-offline-text"));

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhance(document);
    });
  } else {
    enhance(document);
  }
})();
