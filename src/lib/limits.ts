/**
 * Every bound on work and memory that a hostile archive could otherwise push: one place, so
 * that the CLI, the page and the tests agree on them.
 */

/** A JSON document larger than this is refused (index, manifest, config, manifest.json). */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
/** Bytes of documents kept from one sequential pass over a .tar.gz. */
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;
/** Bytes of JSON parsed for one archive, all documents together (each document counts once). */
export const MAX_PARSED_BYTES = 64 * 1024 * 1024;
/** Entries read from an outer archive. */
export const MAX_ENTRIES = 100_000;
/** A pax / GNU long-name record larger than this is not a name: it is refused. */
export const MAX_META_RECORD = 1 << 20;
/** Symlink / hard link hops followed when looking a name up. */
export const MAX_LINK_DEPTH = 16;
/** How deep indexes may nest under index.json. */
export const MAX_INDEX_DEPTH = 8;
/** Index and manifest documents read for one archive (each digest once). */
export const MAX_DOCUMENTS = 5_000;
/** Manifests reported for one archive, all images together. */
export const MAX_MANIFESTS = 1_000;
/** Layers reported for one manifest (Docker stacks at most 127; OCI sets no limit). */
export const MAX_LAYERS = 1_000;
/** Blobs larger than this are not looked at when searching for a Docker 25 manifest. */
export const MAX_MANIFEST_SCAN = 64 * 1024;
/** Unsafe layer paths named one by one in a check's message (the rest are counted). */
export const MAX_REPORTED_PATHS = 20;
/** Symlinks of one layer the path check follows (a tree node each); past it, it fails the layer
 * rather than vouch for paths it did not follow. */
export const MAX_FOLLOWED_SYMLINKS = 200_000;
/** Path components one layer's symlink targets may add to the path check's walks in all; a
 * layer that asks for more (deep targets followed by many entries) fails it the same way. */
export const MAX_LINK_STEPS = 20_000_000;
/** A zstd frame may not ask for a larger window (zstd's own CLI refuses more without --long). */
export const MAX_ZSTD_WINDOW = 128 * 1024 * 1024;
/** Bytes of config JSON shown in one report, a config counted each time a manifest shows it:
 * bounds the report, its Markdown and its JSON whatever repeats the archive makes. */
export const MAX_SHOWN_CONFIG_BYTES = 64 * 1024 * 1024;
