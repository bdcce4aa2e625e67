// Small progressive enhancements; every page works without them.
// Folded as the server folds (congan.core.text.fold): no diacritics, đ as d, lower case.
const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

// A search box above a long select (core.forms.searchable): the options whose names hold every
// word typed stay; the chosen ones always stay; one match left in a single select is chosen.
function makeSearchable(select) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "select-search";
  box.placeholder = select.dataset.searchable;
  box.setAttribute("aria-label", select.dataset.searchable);
  box.setAttribute("aria-controls", select.id);
  const options = Array.from(select.options);
  const names = options.map((option) => fold(option.text));
  box.addEventListener("input", () => {
    const words = fold(box.value).split(/\s+/).filter(Boolean);
    const hits = options.filter((option, i) => option.value && words.every((word) => names[i].includes(word)));
    select.replaceChildren(...options.filter((option) => !option.value || option.selected || hits.includes(option)));
    if (!select.multiple && words.length && hits.length === 1 && select.value !== hits[0].value) {
      select.value = hits[0].value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  select.before(box);
}

// A household change that gives members a new head asks each one's relationship to the new head:
// only the members it concerns (not the new head; in a split, only those who move) are shown.
function showConcernedMembers(form) {
  const head = form.querySelector("select[name$='new_head']");
  if (!head) return;
  const moving = Array.from(form.querySelectorAll("input[type=checkbox][name$='members']"));
  const update = () => {
    form.querySelectorAll("select[name*='relationship_']").forEach((select) => {
      const member = select.name.split("relationship_")[1];
      const moves = !moving.length || moving.some((box) => box.checked && box.value === member);
      const field = select.closest(".field");
      if (field) field.hidden = member === head.value || !moves;
    });
  };
  head.addEventListener("change", update);
  moving.forEach((box) => box.addEventListener("change", update));
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-searchable]").forEach(makeSearchable);
  document.querySelectorAll("form").forEach(showConcernedMembers);
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("main-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // One module's menu open at a time; a click elsewhere closes it.
  const groups = Array.from(document.querySelectorAll("details[data-nav-group]"));
  groups.forEach((group) => {
    group.addEventListener("toggle", () => {
      if (group.open) groups.forEach((other) => other !== group && (other.open = false));
    });
  });
  document.addEventListener("click", (event) => {
    groups.forEach((group) => !group.contains(event.target) && (group.open = false));
  });
  document.querySelectorAll("input[data-select-all]").forEach((all) => {
    const table = all.closest("table");
    all.addEventListener("change", () => {
      table.querySelectorAll("tbody input[type=checkbox]").forEach((box) => (box.checked = all.checked));
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const target = document.getElementById(button.dataset.copy);
      if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent.trim());
    });
  });
});
