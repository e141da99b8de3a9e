// Records every event the elements fire (capturing: `error` does not bubble), and hands the
// picked file to #by-file through its `file` property.
window.embedEvents = [];
for (const type of ['report', 'verified', 'error']) {
  document.addEventListener(
    type,
    (event) => {
      if (event.target.localName !== 'stevedore-report') return;
      window.embedEvents.push({ type, id: event.target.id, detail: event.detail });
    },
    true,
  );
}

document.getElementById('pick').addEventListener('change', (event) => {
  document.getElementById('by-file').file = event.target.files[0];
});
