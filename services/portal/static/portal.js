/* The portal's own script (no third-party code): checks a national / BIS number as it
   is typed, with the same mod-97 rule the intake service applies (which checks again). */
"use strict";
(function () {
  function nissMessage(raw) {
    var digits = raw.replace(/[\s.\-]/g, "");
    if (digits === "") return "";
    if (!/^\d+$/.test(digits)) return "Le numéro national ne contient que des chiffres (points, tirets et espaces permis).";
    if (digits.length < 11) return "";          /* still typing */
    if (digits.length > 11) return "Le numéro national compte 11 chiffres.";
    var base = Number(digits.slice(0, 9)), check = Number(digits.slice(9));
    if (97 - (base % 97) === check || 97 - ((2000000000 + base) % 97) === check) return "";
    return "Numéro national invalide : le chiffre de contrôle ne correspond pas (faute de frappe ?).";
  }
  function bind(input) {
    var out = document.getElementById("e-" + input.name.replace(/\./g, "-"));
    if (!out) return;
    var server = out.textContent;
    function update(final) {
      var msg = nissMessage(input.value);
      if (!msg && final) {
        var d = input.value.replace(/[\s.\-]/g, "");
        if (d.length > 0 && d.length < 11) msg = "Le numéro national compte 11 chiffres.";
      }
      if (!msg && input.value === input.defaultValue && server) msg = server;
      out.textContent = msg;
      out.hidden = !msg;
      if (msg) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
    input.addEventListener("input", function () { update(false); });
    input.addEventListener("blur", function () { update(true); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-niss]").forEach(bind);
    var alert = document.getElementById("probleme");
    if (alert) alert.focus();
  });
})();
