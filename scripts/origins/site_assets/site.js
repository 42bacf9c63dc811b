// Filters the timeline by person, organization, category and text. The page is complete without it.
"use strict";
(function () {
  const form = document.getElementById("filters");
  if (!form) return;
  const events = Array.from(document.querySelectorAll("article.event"));
  const count = document.getElementById("count");
  const text = new Map(events.map((e) => [e, e.textContent.toLowerCase()]));
  function apply() {
    const person = form.elements.person.value;
    const org = form.elements.org.value;
    const category = form.elements.category.value;
    const q = form.elements.q.value.trim().toLowerCase();
    let shown = 0;
    for (const e of events) {
      const ok =
        (!person || e.dataset.people.split(" ").includes(person)) &&
        (!org || e.dataset.orgs.split(" ").includes(org)) &&
        (!category || e.dataset.category === category) &&
        (!q || text.get(e).includes(q));
      e.hidden = !ok;
      if (ok) shown += 1;
    }
    for (const section of document.querySelectorAll("main section")) {
      section.hidden = !section.querySelector("article.event:not([hidden])");
    }
    count.textContent = shown + " of " + events.length + " events shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (ev) => ev.preventDefault());
  apply();
})();
