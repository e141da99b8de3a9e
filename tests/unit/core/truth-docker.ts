/**
 * Ground truth for the `docker save` style (manifest.json) archives in tests/fixtures,
 * worked out with tar, sha256sum, jq, gzip -dc and zstd -dc from the archives themselves,
 * never from Stevedore's output. See truth-types.ts for the conventions.
 */
import type { TrueArchive } from './truth-types.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

// prettier-ignore
export const DOCKER_SAVE_TRUTH: Record<string, TrueArchive> = {
  'containers-image-almostempty.tar': {
    count: 1,
    images: {
      0: { ref: 'emptyimage:latest', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:9d7f147c0d0c4d4538a04c7ef385809e56eb1aac7bf800fbe976612188025b68', totalSize: 1536, layers: [
            ['sha256:0b916d257bd406111a3fced53f81b47de9a30f7c7d514a89769b3483aaddca7e', 1536, 'sha256:0b916d257bd406111a3fced53f81b47de9a30f7c7d514a89769b3483aaddca7e', 'none'],
          ] },
      ] },
    },
  },
  'dive-test-docker-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test:latest', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:75ae28b8ebf89b203319069ddcbecdf5c3838503bbebc0d0d85e4b8589c5de3a', totalSize: 1470464, layers: [
            ['sha256:23bc2b70b2014dec0ac22f27bb93e9babd08cdd6f1115d0c955b9ff22b382f5a', 1369600, 'sha256:23bc2b70b2014dec0ac22f27bb93e9babd08cdd6f1115d0c955b9ff22b382f5a', 'none'],
            ['sha256:a65b7d7ac139a0e4337bc3c73ce511f937d6140ef61a0108f7d4b8aab8d67274', 8192, 'sha256:a65b7d7ac139a0e4337bc3c73ce511f937d6140ef61a0108f7d4b8aab8d67274', 'none'],
            ['sha256:93e208d471756ffbac88cf9c25feb442007f221d3bd73231e27b747a0a68927c', 3072, 'sha256:93e208d471756ffbac88cf9c25feb442007f221d3bd73231e27b747a0a68927c', 'none'],
            ['sha256:4abad3abe3cb99ad7a492a9d9f6b3d66287c1646843c74128bbbec4f7be5aa9e', 9216, 'sha256:4abad3abe3cb99ad7a492a9d9f6b3d66287c1646843c74128bbbec4f7be5aa9e', 'none'],
            ['sha256:14c9a6ffcb6a0f32d1035f97373b19608e2d307961d8be156321c3f1c1504cbf', 9216, 'sha256:14c9a6ffcb6a0f32d1035f97373b19608e2d307961d8be156321c3f1c1504cbf', 'none'],
            ['sha256:778fb5770ef466f314e79cc9dc418eba76bfc0a64491ce7b167b76aa52c736c4', 9216, 'sha256:778fb5770ef466f314e79cc9dc418eba76bfc0a64491ce7b167b76aa52c736c4', 'none'],
            ['sha256:f275b8a31a71deb521cc048e6021e2ff6fa52bedb25c9b7bbe129a0195ddca5f', 9216, 'sha256:f275b8a31a71deb521cc048e6021e2ff6fa52bedb25c9b7bbe129a0195ddca5f', 'none'],
            ['sha256:dd1effc5eb19894c3e9b57411c98dd1cf30fa1de4253c7fae53c9cea67267d83', 9728, 'sha256:dd1effc5eb19894c3e9b57411c98dd1cf30fa1de4253c7fae53c9cea67267d83', 'none'],
            ['sha256:8d1869a0a066cdd12e48d648222866e77b5e2814f773bb3bd8774ab4052f0f1d', 8704, 'sha256:8d1869a0a066cdd12e48d648222866e77b5e2814f773bb3bd8774ab4052f0f1d', 'none'],
            ['sha256:bc2e36423fa31a97223fd421f22c35466220fa160769abf697b8eb58c896b468', 2048, 'sha256:bc2e36423fa31a97223fd421f22c35466220fa160769abf697b8eb58c896b468', 'none'],
            ['sha256:7f648d45ee7b6de2292162fba498b66cbaaf181da9004fcceef824c72dbae445', 5632, 'sha256:7f648d45ee7b6de2292162fba498b66cbaaf181da9004fcceef824c72dbae445', 'none'],
            ['sha256:a4b8f95f266d5c063c9a9473c45f2f85ddc183e37941b5e6b6b9d3c00e8e0457', 8704, 'sha256:a4b8f95f266d5c063c9a9473c45f2f85ddc183e37941b5e6b6b9d3c00e8e0457', 'none'],
            ['sha256:22a44d45780a541e593a8862d80f3e14cb80b6bf76aa42ce68dc207a35bf3a4a', 9216, 'sha256:22a44d45780a541e593a8862d80f3e14cb80b6bf76aa42ce68dc207a35bf3a4a', 'none'],
            ['sha256:ba689cac6a98c92d121fa5c9716a1bab526b8bb1fd6d43625c575b79e97300c5', 8704, 'sha256:ba689cac6a98c92d121fa5c9716a1bab526b8bb1fd6d43625c575b79e97300c5', 'none'],
          ] },
      ] },
    },
  },
  'dive-test-kaniko-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test:kaniko-latest', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:ae16a51058a758c7963b2f9b23d1acfa201ce9cbefc8cb93845f8cd934fb144d', totalSize: 805037, layers: [
            ['sha256:5c4213be9af904dd74649d250f22023f532b2f9179ffcb15260b5eaa10d7a3b4', 764655, 'sha256:84009204da3f70b09d2be3914e12844ae9db893aa85ef95df83604f95df05187', 'gzip'],
            ['sha256:5a99c1aa63bbf4de393361eb196b89853c13bb61dc276cc103587107f338b8a0', 3822, 'sha256:8c860cca7e7b7a997f36a59dd47117749cc4b5812091347869a7e3f8c46dd0fe', 'gzip'],
            ['sha256:abfb2be57371e58733af62640f4dfa2af694cb4c5983bddb59289959fdf2c8a5', 181, 'sha256:4d87ab95fe2de2a6510a3e8feea5771cc559194deec0e7acc4a3e2160c6a4ec3', 'gzip'],
            ['sha256:ab64c7c617c0344129a9ddf8aba0d152f41c64af4663bfdfedbbd9e990013c0f', 3878, 'sha256:b10e9d5fee654ee064095ce2dc3b865b70b48ff1824d129f6415282af0a58f0d', 'gzip'],
            ['sha256:02d5f83a5325ff4a82e69cb95067e05caa85d7bc5524ec88d686000577a232ac', 3878, 'sha256:aa935ad8bc5f3d2a5cbb1c977d050cbd027789fa8edde787ba977081a08e3f80', 'gzip'],
            ['sha256:15a6465c0fe3f2e7bb908a6b9a307ec98c571d46f2cbad6e8633538d7ca045e4', 3879, 'sha256:121b26eec2dd829b93c992a1eb391cd069e1796484059d537d4d8a3b8f6f7209', 'gzip'],
            ['sha256:f9d7def36f033b9e24414b95dcae74a49a307cad9f3c61f99aa2b1f041d0e0cd', 3879, 'sha256:0041509ce3c3fc948da4b46895637383a3b8d1a6e577206a85b2bca3f475cf0b', 'gzip'],
            ['sha256:f8197ece7b3726c0f3c221809f4f8206391adf112621dc82e42cbaae08e16dd2', 3915, 'sha256:ea7a055608164e230576e8fc0b30cb90bb7278862116a4dc6c9a39a736a20c20', 'gzip'],
            ['sha256:39bfd20234e676b5fa3a62595ff08ec0cfd8e6e717de1ad31c86bdec29b7e2ef', 3851, 'sha256:6a95e97c7834d5acbe541ebf3f118a683d3f5acda7cf77d5c5e43b1b24fac305', 'gzip'],
            ['sha256:4a9de7d5208c7ed5ef4414ef2a1df271034acd859163e70c49781ec48874dff9', 164, 'sha256:73823b8dbbb1431181d7704fc9784eb8a3d3d5c622517fa9a99806edc7dde3c3', 'gzip'],
            ['sha256:9506f8a9ad68acc80dabc816c90729c413d2d82d56f956ea8793584093232e21', 1341, 'sha256:41d630f9d22fdcac282f8f5c332139c7c505a7d5ab876aa98603e0736690b0e7', 'gzip'],
            ['sha256:282aa8fa4dc1512a47f8ada66dffd2584358de1cf2e6cb0eb0cd8914e2ea7171', 3862, 'sha256:1df8bc89c34188c7a643f3292d777b25901df5d0eadcc2dc3bb2117bbcdeaf5b', 'gzip'],
            ['sha256:2264f1ca202091710f273d50273db623e6a5ee2b8fbbebbaf7d2541dd42543cb', 3882, 'sha256:39b3d1cf4c7aa963e59764319992535cda79fff6d2f819a5e3704ed8ac01bd4e', 'gzip'],
            ['sha256:2a4db5aee2ae5c7650725e171686fac3f9f2087568e679d5725932c8699e0c83', 3850, 'sha256:5fb574ef88e83d471fd70a255cb8a3426a5c8eec56c2f8f2e806fe08eb7a59c9', 'gzip'],
          ] },
      ] },
    },
  },
  'gen-buildah-docker-archive-arm64-v8.tar': {
    count: 1,
    images: {
      0: { ref: 'gen/arm64:v8', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64 variant v8', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:23d8204886fc80e18bc4c6fb6805a3acb76f203beb35936fed29fd18d3bfe9f6', totalSize: 6656, layers: [
            ['sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb', 3584, 'sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb', 'none'],
            ['sha256:72e54ddc0a4ac70c42dabe542a8d5d836988d06b849b4e2713de1beeb7f0640b', 3072, 'sha256:72e54ddc0a4ac70c42dabe542a8d5d836988d06b849b4e2713de1beeb7f0640b', 'none'],
          ] },
      ] },
    },
  },
  'ggcr-hello-world-v25.tar': {
    count: 1,
    images: {
      0: { ref: 'ggcr-hello-world-v25', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:411caf340c828657e915a83ed561a79d2b8150dabad4dc079d881cbfe6f86afe', mediaType: OCI_MANIFEST,
          imageId: 'sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44', totalSize: 10752, layers: [
            ['sha256:12660636fe55438cc3ae7424da7ac56e845cdb52493ff9cf949c47a7f57f8b43', 10752, 'sha256:12660636fe55438cc3ae7424da7ac56e845cdb52493ff9cf949c47a7f57f8b43', 'none'],
          ] },
      ] },
    },
  },
  'ggcr-test_bundle.tar': {
    count: 2,
    images: {
      0: { ref: 'test_image_2', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:930705ce23e3b6ed4c08746b6fe880089c864fbaf62482702ae3fdd66b8c7fe9', totalSize: 10240, layers: [
            ['sha256:3610aa5267a210147ba6ca02cdd87610dfc08522de9c5f5015edd8ee14853fd8', 10240, 'sha256:3610aa5267a210147ba6ca02cdd87610dfc08522de9c5f5015edd8ee14853fd8', 'none'],
          ] },
      ] },
      1: { ref: 'test_image_1', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e', totalSize: 10240, layers: [
            ['sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 10240, 'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 'none'],
          ] },
      ] },
    },
  },
  'ggcr-test_link.tar': {
    count: 2,
    images: {
      0: { ref: 'bazel/v1/tarball:test_image_1', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e', totalSize: 10240, layers: [
            ['sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 10240, 'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 'none'],
          ] },
      ] },
      1: { ref: 'bazel/v1/tarball:test_image_3', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:d4c9adacde69c3d92446e0484cea29493e9fd573cf0c8febfc700d80c46697a4', totalSize: 12288, layers: [
            ['sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 10240, 'sha256:8897395fd26dc44ad0e2a834335b33198cb41ac4d98dfddf58eced3853fa7b17', 'none'],
            ['sha256:6b617a2706576ed038acdc3aa668cac62010386a5a3d227d83aada32085c9f29', 2048, 'sha256:6b617a2706576ed038acdc3aa668cac62010386a5a3d227d83aada32085c9f29', 'none'],
          ] },
      ] },
    },
  },
  'trivy-alpine-310.tar.gz': {
    count: 1,
    images: {
      0: { ref: 'alpine:3.10', digest: null, mediaType: null, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: null, mediaType: null,
          imageId: 'sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e', totalSize: 5818880, layers: [
            ['sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028', 5818880, 'sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028', 'none'],
          ] },
      ] },
    },
  },
};
