import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import './app/app.css';
import App from './app/App.svelte';
import { workspace } from './app/workspace.svelte.ts';

mount(App, { target: document.getElementById('app')! });
void workspace.library.refresh();
// The service worker that makes the app work offline; a no-op under `vite` dev. A new version
// takes over and reloads the page by itself (registerType 'autoUpdate' in vite.config.ts).
registerSW({ immediate: true });

// `/?sample` opens the bundled sample image straight away (links from docs, demos).
if (new URLSearchParams(location.search).has('sample')) workspace.openSample();
