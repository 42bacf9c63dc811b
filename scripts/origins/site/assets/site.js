// Filters the timeline by person, organization, category, contested question, board membership and
// text, and keeps the filters in the address (?person=…&org=…&category=…&question=…&board=1&q=…) so a
// filtered view can be shared, bookmarked and reached again with the back button. The page is
// complete without it.
"use strict";
(function () {
  const form = document.getElementById("filters");
  if (!form) return;
  // a filter the page does not offer (no questions, no board configured) is left out
  const FIELDS = ["person", "org", "category", "question", "board", "q"].filter((name) => form.elements[name]);
  const events = Array.from(document.querySelectorAll("article.event"));
  const count = document.getElementById("count");
  const text = new Map(events.map((e) => [e, e.textContent.toLowerCase()]));
  const dots = new Map(); // event id -> its point on the chart
  for (const a of document.querySelectorAll("svg.chart a")) {
    dots.set(a.getAttribute("href").slice(1), a);
  }

  // A field's value as the address holds it: a checkbox is "1" when ticked, else absent.
  function valueOf(field) {
    if (field.type === "checkbox") return field.checked ? "1" : "";
    return field.value.trim();
  }

  // The address is the filter's single home: the form is set from it, and it from the form.
  function fromAddress() {
    const params = new URLSearchParams(window.location.search);
    for (const name of FIELDS) {
      const field = form.elements[name];
      if (field.type === "checkbox") {
        field.checked = params.get(name) === "1";
        continue;
      }
      field.value = params.get(name) || "";
      if (field.tagName === "SELECT" && field.selectedIndex < 0) field.value = ""; // an unknown id: show all
    }
  }
  function address() {
    const params = new URLSearchParams();
    for (const name of FIELDS) {
      const value = valueOf(form.elements[name]);
      if (value) params.set(name, value);
    }
    const query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }
  // A new history entry per choice, but one per search (typing replaces it), so back undoes a step.
  function remember(typing) {
    const url = address();
    if (url === window.location.pathname + window.location.search) return;
    const state = history.state || {};
    try {
      if (typing && state.typing) history.replaceState({ typing: true }, "", url);
      else history.pushState({ typing: typing }, "", url);
    } catch (err) {
      // a browser that refuses history on file:// pages: the filter still works, the address stays
    }
  }

  function apply() {
    const value = (name) => (FIELDS.includes(name) ? valueOf(form.elements[name]) : "");
    const person = value("person");
    const org = value("org");
    const category = value("category");
    const question = value("question");
    const board = value("board");
    const q = value("q").toLowerCase();
    let shown = 0;
    for (const e of events) {
      const ok =
        (!person || e.dataset.people.split(" ").includes(person)) &&
        (!org || e.dataset.orgs.split(" ").includes(org)) &&
        (!category || e.dataset.category === category) &&
        (!question || e.dataset.questions.split(" ").includes(question)) &&
        (!board || e.dataset.board !== "") &&
        (!q || text.get(e).includes(q));
      e.hidden = !ok;
      const dot = dots.get(e.id);
      if (dot) dot.classList.toggle("dim", !ok);
      if (ok) shown += 1;
    }
    for (const section of document.querySelectorAll("main section")) {
      section.hidden = !section.querySelector("article.event:not([hidden])");
    }
    count.textContent = shown + " of " + events.length + " events shown";
  }

  // Typing filters as it goes; a choice in a list (its change event) is a step of its own.
  form.addEventListener("input", (ev) => {
    apply();
    if (ev.target.name === "q") remember(true);
  });
  form.addEventListener("change", (ev) => {
    apply();
    remember(ev.target.name === "q");
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  window.addEventListener("popstate", () => {
    fromAddress();
    apply();
  });
  fromAddress();
  apply();
})();
