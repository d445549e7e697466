/*
 * Læra's page behaviour: focus and status after HTMX swaps, and the filter on long checkbox lists.
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

  function enhance(root) {
    if (!(root instanceof Element) && root !== document) {
      return;
    }
    root.querySelectorAll("[data-filter-list]").forEach(enhanceFilterList);
    if (root instanceof Element && root.matches("[data-filter-list]")) {
      enhanceFilterList(root);
    }
  }

  document.addEventListener("htmx:afterSettle", afterSettle);
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
