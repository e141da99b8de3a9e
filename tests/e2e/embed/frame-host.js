// Frames the URL given as ?frame=, records every message its window sends, and posts the picked
// file to it (and anything else the test asks for through window.post).
const frame = document.getElementById('frame');
const target = new URL(new URLSearchParams(location.search).get('frame'), location.href);
window.frameMessages = [];
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow) return;
  window.frameMessages.push({ origin: event.origin, data: event.data });
});
window.post = (message) => frame.contentWindow.postMessage(message, target.origin);
document.getElementById('pick').addEventListener('change', (event) => {
  window.post({ type: 'open', file: event.target.files[0], id: 'pick-1' });
});
frame.width = '900';
frame.height = '700';
frame.src = target.href;
