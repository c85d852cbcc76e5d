/* nocmatch review page: switch the evidence between codes (already in the page: no request, no
   re-encoding), and show that a submitted letter is being reviewed. */
(function () {
  "use strict";
  var select = document.getElementById("evidence-code");

  function show(code) {
    var panels = document.querySelectorAll("div.evidence");
    for (var i = 0; i < panels.length; i++) {
      panels[i].hidden = panels[i].getAttribute("data-code") !== code;
    }
    var rows = document.querySelectorAll("table.ranking tbody tr");
    for (var j = 0; j < rows.length; j++) {
      rows[j].classList.toggle("shown", rows[j].getAttribute("data-code") === code);
    }
    if (select) { select.value = code; }
  }

  if (select) {
    select.addEventListener("change", function () { show(select.value); });
    show(select.value);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.show-evidence") : null;
    if (!button) { return; }
    show(button.getAttribute("data-code"));
    document.getElementById("evidence").scrollIntoView();
  });

  var form = document.getElementById("letter-form");
  if (form) {
    var submit = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function () {
      submit.disabled = true;
      submit.textContent = "Reviewing\u2026";
    });
    // coming back with the Back button must not leave the button disabled
    window.addEventListener("pageshow", function () {
      submit.disabled = false;
      submit.textContent = submit.getAttribute("data-label");
    });
  }
})();
