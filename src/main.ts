import { mount } from 'svelte';
import './app/app.css';
import App from './app/App.svelte';
import { workspace } from './app/workspace.svelte.ts';

mount(App, { target: document.getElementById('app')! });

// `/?sample` opens the bundled sample image straight away (links from docs, demos).
if (new URLSearchParams(location.search).has('sample')) workspace.openSample();
