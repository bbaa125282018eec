/* Live explorers on the static website (see _ext/live_explorers.py).
 * Each .live-explorer block holds labelled controls (range inputs and selects), one <picture> (a
 * narrow variant of each state for phones, the wide one otherwise) and the alt text of every
 * precomputed state. Moving a control loads that state's image on demand (the variant the screen
 * shows), then swaps it in with its alt text; the block stays hidden (and the static figure after
 * it stands) when JavaScript is off. */
(function () {
  "use strict";

  function setup(root) {
    var data = JSON.parse(root.querySelector("script.live-explorer-data").textContent);
    var inputs = Array.prototype.slice.call(root.querySelectorAll("[data-control]"));
    var img = root.querySelector("img.live-explorer-image");
    var source = root.querySelector("picture source");
    var narrow = window.matchMedia(data.media);
    var base = root.getAttribute("data-base");
    var wanted = root.getAttribute("data-state");

    function show() {
      var flat = 0;
      var index = inputs.map(function (el, i) {
        var v = Number(el.value);
        flat = flat * data.readouts[i].length + v;
        if (el.type === "range") {
          var text = data.readouts[i][v];
          el.setAttribute("aria-valuetext", text);
          root.querySelector('output[for="' + el.id + '"]').textContent = text;
        }
        return v;
      });
      var key = index.join("-");
      if (key === wanted) return;
      wanted = key;
      var narrowSrc = base + "narrow/" + key + ".png";
      var next = new Image();
      next.className = img.className;
      next.alt = data.alts[flat];
      next.src = narrow.matches ? narrowSrc : base + key + ".png";
      var apply = function () {
        if (wanted !== key) return; // a later move won
        // the new image is already decoded: put it in place of the old one (no second decode); inside
        // the <picture> it shows the source's variant, the one loaded when the narrow query matches
        source.setAttribute("srcset", narrowSrc);
        next.setAttribute("width", img.getAttribute("width"));
        next.setAttribute("height", img.getAttribute("height"));
        img.replaceWith(next);
        img = next;
        root.setAttribute("data-state", key);
        root.dispatchEvent(new CustomEvent("live-explorer-shown", { detail: { key: key } }));
      };
      (next.decode ? next.decode() : Promise.resolve()).then(apply, apply);
    }

    inputs.forEach(function (el) {
      el.addEventListener("input", show);
      el.addEventListener("change", show);
    });
    root.hidden = false;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".live-explorer"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
