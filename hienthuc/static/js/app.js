// Behaviour every page shares. Pages carry no inline script or on…= handler (the
// Content-Security-Policy forbids them): markup names what it wants with data- attributes
// and this file, served from our own origin, does it. Listeners are delegated from the
// document so fragments swapped in by htmx work too.

// A group opened from the navigation bar closes when one clicks elsewhere, as menus do.
document.addEventListener("click", (event) => {
  document.querySelectorAll(".nav-group details[open]").forEach((group) => {
    if (!group.contains(event.target)) group.open = false;
  });
});

document.addEventListener("click", (event) => {
  // The menu button of the folded navigation bar.
  const toggler = event.target.closest("[data-toggle-nav]");
  if (toggler) {
    document.getElementById(toggler.dataset.toggleNav).classList.toggle("show");
    return;
  }
  // A button that loads something once (the tree's "+"): it turns into "−" and stays put.
  const once = event.target.closest("[data-once]");
  if (once) {
    // Let htmx send its request first; disabling in the same tick would cancel it.
    setTimeout(() => {
      once.disabled = true;
      once.textContent = "−";
    });
    return;
  }
  // A suggestion that fills a field (the next free document number).
  const fill = event.target.closest("[data-fill-target]");
  if (fill) {
    document.getElementById(fill.dataset.fillTarget).value = fill.dataset.fillValue;
    return;
  }
  // A button that asks before it acts.
  const confirmed = event.target.closest("[data-confirm]");
  if (confirmed && !window.confirm(confirmed.dataset.confirm)) event.preventDefault();
});

// Choosing a language submits its form at once.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
});
