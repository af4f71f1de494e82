// Search as you type: the server renders the results; this only fetches and swaps them in.
// Without JavaScript the form still works (Enter submits it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var results = document.getElementById("results");
  var url = form.getAttribute("data-results-url");
  var timer = null;
  var latest = 0;

  function refresh() {
    var query = input.value.trim();
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (response.redirected) {
          window.location.href = response.url; // the session ended: show the sign-in page
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        // A slower answer to an older query must not replace a newer one.
        if (html !== null && ticket === latest) {
          results.innerHTML = html;
          history.replaceState(null, "", "?q=" + encodeURIComponent(query));
        }
      })
      .catch(function () { /* offline: keep the last results; Enter still submits */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 200);
  });
})();

// "Show more" on the timeline: fetch the next page's rows and add them; without JavaScript
// the link opens the next page whole.
(function () {
  "use strict";
  var pages = document.querySelector("[data-timeline]");
  if (!pages) return;
  pages.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-more]");
    if (!link) return;
    event.preventDefault();
    var holder = link.parentNode;
    fetch(link.getAttribute("data-more"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("not a timeline page");
        return response.text();
      })
      .then(function (html) {
        var next = document.createElement("div");
        next.innerHTML = html;
        holder.replaceWith.apply(holder, Array.prototype.slice.call(next.childNodes));
        var added = pages.querySelectorAll("ol.timeline");
        var first = added[added.length - 1].querySelector("li");
        if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
      })
      .catch(function () { window.location.href = link.href; });
  });
})();
