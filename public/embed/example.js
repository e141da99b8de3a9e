// The example page's script: listens to the elements' events, gives one a picked File, and
// drives the iframe mode with postMessage.
const log = (text) => {
  const item = document.createElement('li');
  item.textContent = text;
  document.getElementById('log').append(item);
};

const platforms = (report) =>
  report.images.flatMap((image) => image.manifests.map((m) => m.platformString)).join(', ');

for (const element of document.querySelectorAll('stevedore-report')) {
  element.addEventListener('report', (event) =>
    log(`#${element.id} report: ${event.detail.source.name} — ${platforms(event.detail)}`),
  );
  element.addEventListener('verified', (event) =>
    log(`#${element.id} verified: ${event.detail.status}, ${event.detail.checks.length} checks`),
  );
  element.addEventListener('error', (event) =>
    log(`#${element.id} error: ${event.detail.message}`),
  );
}

document.getElementById('pick-element').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (file) document.getElementById('picked').file = file;
});

// The iframe mode: the app, allowed to take messages from this page's origin only.
const frame = document.getElementById('frame');
const appUrl = new URL('../', location.href);
frame.src = `${appUrl.href}?embed&verify&origins=${encodeURIComponent(location.origin)}`;

window.addEventListener('message', (event) => {
  // Replies come from the frame's window, on the app's origin.
  if (event.source !== frame.contentWindow || event.origin !== appUrl.origin) return;
  const message = event.data;
  if (message.type === 'report') log(`frame report: ${platforms(message.report)}`);
  else if (message.type === 'verified') log(`frame verified: ${message.verification.status}`);
  else if (message.type === 'error') log(`frame error: ${message.message}`);
  else log(`frame: ${message.type}`);
});

document.getElementById('pick-frame').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (file) frame.contentWindow.postMessage({ type: 'open', file }, appUrl.origin);
});
