// Loads the element from the origin given as ?app= (not this page's) and shows that origin's
// sample with it, verified.
const app = new URLSearchParams(location.search).get('app');
window.embedEvents = [];
for (const type of ['report', 'verified', 'error']) {
  document.addEventListener(
    type,
    (event) => window.embedEvents.push({ type, id: event.target.id, detail: event.detail }),
    true,
  );
}
await import(`${app}/embed/stevedore-report.js`);
const element = document.createElement('stevedore-report');
element.id = 'remote';
element.verify = true;
element.src = `${app}/samples/gen-buildah-multiarch-oci-archive.tar`;
document.body.append(element);
