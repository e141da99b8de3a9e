import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import './app/app.css';
import App from './app/App.svelte';
import { whenQuiet } from './app/when-quiet.svelte.ts';
import { warmUpWhenIdle } from './app/warm-up.ts';
import { workspace } from './app/workspace.svelte.ts';
import { startFrame } from './embed/frame.ts';

const query = new URLSearchParams(location.search);
const target = document.getElementById('app')!;

if (query.has('embed')) {
  // `/?embed&origins=…`: the iframe mode, the report of an archive its parent page posts. No
  // library and no service worker of its own (an update would reload the frame and lose it).
  startFrame(target);
} else {
  mount(App, { target });
  void workspace.library.refresh();
  // The service worker that makes the app work offline; a no-op under `vite` dev. A new version
  // takes over and reloads the page by itself (registerType 'autoUpdate' in vite.config.ts).
  // Registered once the page is quiet: installing it fetches and stores the whole app, which
  // would compete with opening an archive dropped at once (when-quiet.ts).
  whenQuiet(workspace, () => void registerSW({ immediate: true }));
  // The first drop's code compiled ahead of it, on two tiny archives, once the page is idle.
  warmUpWhenIdle(workspace);

  // `/?sample` opens the bundled sample image straight away (links from docs, demos).
  if (query.has('sample')) workspace.openSample();
}
