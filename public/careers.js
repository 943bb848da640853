// Pre-selects the applicant's time zone from the browser; without JavaScript the field stays on UTC.
(function () {
  var select = document.getElementById('timezone');
  if (!select || select.dataset.touched) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || select.value !== 'UTC') return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone || select.options[i].text === zone) { select.selectedIndex = i; return; }
    }
  } catch (e) { /* keep UTC */ }
})();
