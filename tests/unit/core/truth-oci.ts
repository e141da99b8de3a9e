/**
 * Ground truth for the OCI layout archives in tests/fixtures, worked out with
 * tar, sha256sum, jq, gzip -dc and zstd -dc from the archives themselves, never from
 * Stevedore's output. See truth-types.ts for the conventions.
 */
import type { TrueArchive } from './truth-types.ts';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

// prettier-ignore
export const OCI_TRUTH: Record<string, TrueArchive> = {
  'dive-test-oci-estargz-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test-oci-estargz-image', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:2e75eb783d1a845ce3846d1a7da4453f825886aab5b3ad03afcec7730a208c4d', mediaType: OCI_MANIFEST,
          imageId: 'sha256:5c153971f5feeb018fab88c379f94ef9171ba1990163d32852fd27bf55ed5b74', totalSize: 4496, layers: [
            ['sha256:faae588a698ab938e22085e54a6ee1dcab88eca70618c8cca18cd1169ce7cb5a', 4496, 'sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e', 'gzip'],
          ] },
      ] },
    },
  },
  'dive-test-oci-gzip-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test-oci-gzip-image', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:7d255e9e3d216a9a92a5c1ce0563a5ddd92f28a34a9df025d3cf8dfa5ea08366', mediaType: OCI_MANIFEST,
          imageId: 'sha256:3eaccc100f866490f00ae82727b459a737af031dcf44c791d8aa714a70f24959', totalSize: 4132, layers: [
            ['sha256:9aef42427209c9a180c61bb36b0b09681cbe3d3ff6409408bde0eb17ec1ba0cc', 4132, 'sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758', 'gzip'],
          ] },
      ] },
    },
  },
  'dive-test-oci-uncompressed-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test-oci-uncompressed-image', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:5cec6b4ce61c35c3a83e09d72d81a335b49fdcef727beee160d12eeaf066f11b', mediaType: OCI_MANIFEST,
          imageId: 'sha256:3eaccc100f866490f00ae82727b459a737af031dcf44c791d8aa714a70f24959', totalSize: 12800, layers: [
            ['sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758', 12800, 'sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758', 'none'],
          ] },
      ] },
    },
  },
  'dive-test-oci-zstd-image.tar': {
    count: 1,
    images: {
      0: { ref: 'dive-test-oci-zstd-image', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:f5e3515f39a16543547c03d03ec34faf9276742e6ce7c7dd6e467a14e90b29fc', mediaType: OCI_MANIFEST,
          imageId: 'sha256:3eaccc100f866490f00ae82727b459a737af031dcf44c791d8aa714a70f24959', totalSize: 4314, layers: [
            ['sha256:0308a5d81b28debb7e24a609dcdfca5fdb64c908bda38b0e4774a7d017a67297', 4314, 'sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758', 'zstd'],
          ] },
      ] },
    },
  },
  'gen-buildah-multiarch-oci-archive.tar': {
    count: 1,
    images: {
      0: { ref: 'gen-buildah-multiarch-oci-archive:gen-multi', digest: 'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87', mediaType: OCI_INDEX, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: 'sha256:f38679ffd604645c19a588b9fefcecaf3f08551fa73ef4613b56c0ed490d17ef', mediaType: OCI_MANIFEST,
          imageId: 'sha256:e1c2d407beaddeb99833d9408d9b7e2be05364e3fae5e2a0e855ed9fb7b500dc', totalSize: 413, layers: [
            ['sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f', 218, 'sha256:c6d28df6664a01261df232649e31750fabf4c6a2455e5f2935d91a7071b40c34', 'gzip'],
            ['sha256:dab522a96eee20d88e166a352a4996eea6f6dfde0d29ab8f2ab6880c0bcd44b3', 195, 'sha256:5843579bc96f88d6c95347f98a062a4509080c990c4a6f10f07958b2c190f375', 'gzip'],
          ] },
        { platform: 'linux; arm64 variant v8', kind: 'image', digest: 'sha256:ac6891408d47c9bbb73d359d7b69b41fe3d13afc32639079a5356bbe5717529f', mediaType: OCI_MANIFEST,
          imageId: 'sha256:23d8204886fc80e18bc4c6fb6805a3acb76f203beb35936fed29fd18d3bfe9f6', totalSize: 418, layers: [
            ['sha256:5e30ea40a0aa4e5ce53c1bff66c958918f233c4e778c5ab6dd3e91bc8c3b9f19', 219, 'sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb', 'gzip'],
            ['sha256:d0f27d04adb489428dbbac673c87512a8b018400a5af184a83c4012c5bf757a6', 199, 'sha256:72e54ddc0a4ac70c42dabe542a8d5d836988d06b849b4e2713de1beeb7f0640b', 'gzip'],
          ] },
        { platform: 'linux; arm variant v7', kind: 'image', digest: 'sha256:1bc363495105f66b856c3d497d568a9057436973c54e39a0cf023cc34cb4567d', mediaType: OCI_MANIFEST,
          imageId: 'sha256:6e84ae4cb64aa010b9f3a1ed4392bee4ce4c77adec0db79eb9cad74d011ae709', totalSize: 414, layers: [
            ['sha256:c82e7a9f7e88e4b36456b966d89e1e21b9f7dc7a4fa28fba36387a6b962de6d5', 217, 'sha256:e8c1a8bd73b01dc7cf453158ab0470d7c93cc4d8289e184e98eb03c8ce7d2c77', 'gzip'],
            ['sha256:52913a6d095f2b9e451c80afa39173d7e3317624fa67d39d27da3805a3039869', 197, 'sha256:c4c1af787e339b8216e1e434449db67cce13f82ff7b8f7d7f0e814c92947354b', 'gzip'],
          ] },
      ] },
    },
  },
  'gen-skopeo-multiarch-zstd-oci-archive.tar': {
    count: 1,
    images: {
      0: { ref: 'gen-skopeo-multiarch-zstd-oci-archive:gen-multi', digest: 'sha256:54f5baef1fa475ec96e84d2fbdb7753bbae8f34a2b25874c18b96d39e7b643bc', mediaType: OCI_INDEX, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: 'sha256:64fbf6dccc1e64a9e87ad23837f6e56126365988bb8577fd855e746c222fa938', mediaType: OCI_MANIFEST,
          imageId: 'sha256:e1c2d407beaddeb99833d9408d9b7e2be05364e3fae5e2a0e855ed9fb7b500dc', totalSize: 395, layers: [
            ['sha256:2a8b7fdd42b2342bb2d0a3c628fb8270f57fe9231f5a40d2020166e7c4ad3651', 211, 'sha256:c6d28df6664a01261df232649e31750fabf4c6a2455e5f2935d91a7071b40c34', 'zstd'],
            ['sha256:312203acad0816636752afe4b7889fdb5e9176096edeb771933b7bf5936e49fd', 184, 'sha256:5843579bc96f88d6c95347f98a062a4509080c990c4a6f10f07958b2c190f375', 'zstd'],
          ] },
        { platform: 'linux; arm64 variant v8', kind: 'image', digest: 'sha256:97cea9c889926f90701dee6a0fd2546fdd22ffaae709be3e0c51984015994f74', mediaType: OCI_MANIFEST,
          imageId: 'sha256:23d8204886fc80e18bc4c6fb6805a3acb76f203beb35936fed29fd18d3bfe9f6', totalSize: 400, layers: [
            ['sha256:ed33774d458dde5646f1e80ad598893d74a00bb0c92849fff2aa250604c1ef32', 213, 'sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb', 'zstd'],
            ['sha256:ab8b2327c653fbc4b6d88801beb0726bb25f5b426a772ae30f4c4e5e4a8de53b', 187, 'sha256:72e54ddc0a4ac70c42dabe542a8d5d836988d06b849b4e2713de1beeb7f0640b', 'zstd'],
          ] },
        { platform: 'linux; arm variant v7', kind: 'image', digest: 'sha256:9998d2e896e587f8c49317fd8d81682ca5ba9c9c78b61b7def7e9174b767cbc5', mediaType: OCI_MANIFEST,
          imageId: 'sha256:6e84ae4cb64aa010b9f3a1ed4392bee4ce4c77adec0db79eb9cad74d011ae709', totalSize: 396, layers: [
            ['sha256:ff1fe46be3fa1f40801c147b275c63664ced15738608e4e6b6674bc1b6398450', 211, 'sha256:e8c1a8bd73b01dc7cf453158ab0470d7c93cc4d8289e184e98eb03c8ce7d2c77', 'zstd'],
            ['sha256:e8f10bae696682c62c78ebbaa8f548a642bf27af813fc1a784c310fcd23af569', 185, 'sha256:c4c1af787e339b8216e1e434449db67cce13f82ff7b8f7d7f0e814c92947354b', 'zstd'],
          ] },
      ] },
    },
  },
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar': {
    count: 1,
    images: {
      0: { ref: 'gen-umoci-rawlayers-opaque-whiteout-oci-archive:wh', digest: null, mediaType: null, manifests: [
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:ae8b70724769787e1c0be13bb919162a27450c742509a5010d1d85bcb779b73e', mediaType: OCI_MANIFEST,
          imageId: 'sha256:934d5fb92a65ad87a76ad03881b608b691aaf87d3df0799f3da1ab667108651c', totalSize: 400, layers: [
            ['sha256:3b9b36c3954e3236ff77417449c510c07e012b1d9bcb941be553321df6ec623e', 161, 'sha256:1aca656c9da1104787b3c9fe1990dac459c6572ed57a194834bd24753b9998fa', 'gzip'],
            ['sha256:ba2ab0c04ba0fa9817c074f32fd92ae1975613a8675f36cb2a0487a9f8e9ec53', 239, 'sha256:0d87eb9306be2b188177fe136e3223433e9249248bc698206bb670328a90ff7c', 'gzip'],
          ] },
      ] },
    },
  },
  'regclient-testrepo-ocidir.tar': {
    count: 26,
    // A representative subset: multi-platform index (b1), index with unknown/unknown reference
    // entries (v1), bare manifest (a-docker), artifact (a1), referrers index (sha256-dfae…),
    // 3-layer artifact (a3), index with artifactType (loop), nested index, unnamed entry.
    images: {
      0: { ref: 'regclient-testrepo-ocidir:b1', digest: 'sha256:119b4a63feeda91d4874578e7883994fc45772dd912aa49ba380f87507f6ad07', mediaType: OCI_INDEX, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: 'sha256:2f295c8e37f19a4fb8d49a3f2130863ec40288cb010f721742748e3dde5b1819', mediaType: OCI_MANIFEST,
          imageId: 'sha256:92e1351053a20d03653de6d9ff2064abfe3adc2105b1cf492b201813a3f12dae', totalSize: 106, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
          ] },
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:35f35d912637b75c6e27b0a27a94741609dd25ca2b58b16ac4c1c559a3b481ac', mediaType: OCI_MANIFEST,
          imageId: 'sha256:92351a10d8aebc6e1b8b840d84070bd11ca3bafbc0e1d36e1c9e65c886a274f3', totalSize: 106, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
          ] },
        { platform: 'linux; arm variant v7', kind: 'image', digest: 'sha256:a347aaec7c49a7c78201d6f0deded045079bfb27044e02c7b062de7b676e243a', mediaType: OCI_MANIFEST,
          imageId: 'sha256:187f89fb0852035419fe56ce61745d31d2380ef08a05e36618db6954a472cd28', totalSize: 106, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
          ] },
        { platform: 'linux; arm variant v6', kind: 'image', digest: 'sha256:431e0e3ba987dcf584fb5374d21313aa958c30b2d97b743d06c39ad9a7d983a4', mediaType: OCI_MANIFEST,
          imageId: 'sha256:917a47e590b9eba3f192973655c955fc320bfb2e048419e8588e7af68dfb7430', totalSize: 106, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
          ] },
      ] },
      3: { ref: 'regclient-testrepo-ocidir:v1', digest: 'sha256:7ceb9b6bcc274697d0c38be6214b50cec79d601bc61708747d3f6cb772f6c6fa', mediaType: OCI_INDEX, manifests: [
        { platform: 'linux; amd64', kind: 'image', digest: 'sha256:1effc9d48232693f4584ceb9c5e8d84ddeb5924ea4aff341aa8204510422f668', mediaType: OCI_MANIFEST,
          imageId: 'sha256:03d7b3c657a4af5b4ff7967bf843d04a93008f28d658a7df3f679b2c7e519639', totalSize: 209, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
            ['sha256:5fcd3f90f6c7214b2f48d998385f38dd9f047fd219f03255f3c823c0e93f630a', 103, 'sha256:3a904016e626ab65cf5b0924b39c1a8d20ea027715c2df5ad120601ed8437678', 'gzip'],
          ] },
        { platform: 'linux; arm64', kind: 'image', digest: 'sha256:7e87ffc91b9ceafa85be2777b16b1be10e4664fd4f3acc86e4295b97da5163ba', mediaType: OCI_MANIFEST,
          imageId: 'sha256:cffb7c92259a9caaf27dd5ce2d7d0191b33de116cedff2f078611987291952fd', totalSize: 209, layers: [
            ['sha256:ac4ae1712ec852391e6aae58abf8ff4665df9ae87c71d1e81aa421508a7b831d', 106, 'sha256:d619c4d83d9147229dc5eb5b2c4c8554bb7843e7ccf0f5c8685283f47bba0475', 'gzip'],
            ['sha256:5fcd3f90f6c7214b2f48d998385f38dd9f047fd219f03255f3c823c0e93f630a', 103, 'sha256:3a904016e626ab65cf5b0924b39c1a8d20ea027715c2df5ad120601ed8437678', 'gzip'],
          ] },
        // `vnd.docker.reference.type: builder` + `vnd.docker.reference.digest` on the descriptor:
        // a document about its subject, not a platform (project rule: any reference type).
        { platform: 'unknown; unknown', kind: 'attestation', digest: 'sha256:43089316cfeec5c2f7897591f5925167afda21932cf71a1a1264684930e7b40a', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 15, layers: [
            ['sha256:2b0db72b31002b09e32a25d634a98fc921c5863a11a3f0a4a32bb7485689df7f', 15, null, null],
          ] },
        // `vnd.docker.reference.type: builder` + `vnd.docker.reference.digest` on the descriptor:
        // a document about its subject, not a platform (project rule: any reference type).
        { platform: 'unknown; unknown', kind: 'attestation', digest: 'sha256:d910434391624641a9398ec921067e2dbd9a76aac69f120257906f811f0eecb8', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 19, layers: [
            ['sha256:a250739e095df37714b62f15180106e98a6981a6d17777c2f30b7bf282015120', 19, null, null],
          ] },
      ] },
      6: { ref: 'regclient-testrepo-ocidir:a-docker', digest: null, mediaType: null, manifests: [
        // The first reference entry of v1, named on its own: no annotation marks it as being about
        // another manifest, its config type is an image config, no artifactType: 'image'.
        { platform: 'unknown; unknown', kind: 'image', digest: 'sha256:43089316cfeec5c2f7897591f5925167afda21932cf71a1a1264684930e7b40a', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 15, layers: [
            ['sha256:2b0db72b31002b09e32a25d634a98fc921c5863a11a3f0a4a32bb7485689df7f', 15, null, null],
          ] },
      ] },
      9: { ref: 'regclient-testrepo-ocidir:a1', digest: null, mediaType: null, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 5, layers: [
            ['sha256:e9c3c1c06f1825ffa801eac2930fc97e8cecf63d41c7f5d92a8bb21d7ed288bc', 5, null, null],
          ] },
      ] },
      10: { ref: 'regclient-testrepo-ocidir:sha256-dfae8f425735a5e3a72e40d6609e03079995511d48157c74d54801ff4430491e', digest: 'sha256:955b8a891713a806107edb6dd09410233a9e7926584b1d6fd8b7b5342296188b', mediaType: OCI_INDEX, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 5, layers: [
            ['sha256:e9c3c1c06f1825ffa801eac2930fc97e8cecf63d41c7f5d92a8bb21d7ed288bc', 5, null, null],
          ] },
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:741132f956e196c3858dab17e50ea977056f2f1ce1ad2900f11f4c8ff2d4203b', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 7, layers: [
            ['sha256:ad093de033f89b590459503f94d25ea4a36fd044f7ce6d674f43e0d8412161f9', 7, null, null],
          ] },
      ] },
      15: { ref: 'regclient-testrepo-ocidir:a3', digest: null, mediaType: null, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:2a25aa502b5155860847e5b3528b8839fee45514b3ed1dd67ed8c3d42efefd53', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 6, layers: [
            ['sha256:4355a46b19d348dc2f57c046f8ef63d4538ebb936000f3c9ee954a27460dd865', 2, null, null],
            ['sha256:53c234e5e8472b6ac51c1ae1cab3fe06fad053beb8ebfd8977b010655bfdd3c3', 2, null, null],
            ['sha256:1121cfccd5913f0a63fec40a6ffd44ea64f9dc135c66634ba001d10bcf4302a2', 2, null, null],
          ] },
      ] },
      20: { ref: 'regclient-testrepo-ocidir:loop', digest: 'sha256:d69399e05204fac05b0184eef72e984538cdc9c5854a6484e8852e4357c543cb', mediaType: OCI_INDEX, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:8e54c6754f08d22f85c7552bb1951b228b8194d29b14a1639dbe50868da0273e', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 6, layers: [
            ['sha256:2fa14f53e6b15cac9ac77846c7be87862c2a7e9ec0c6cea319db939317f126ed', 6, null, null],
          ] },
      ] },
      21: { ref: 'regclient-testrepo-ocidir:sha256-8e54c6754f08d22f85c7552bb1951b228b8194d29b14a1639dbe50868da0273e', digest: 'sha256:fdc0d9052a90792725e4fd8ba287fca2be6748d8b1e127ac7f82954449399912', mediaType: OCI_INDEX, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:8e54c6754f08d22f85c7552bb1951b228b8194d29b14a1639dbe50868da0273e', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 6, layers: [
            ['sha256:2fa14f53e6b15cac9ac77846c7be87862c2a7e9ec0c6cea319db939317f126ed', 6, null, null],
          ] },
      ] },
      24: { ref: 'regclient-testrepo-ocidir', digest: null, mediaType: null, manifests: [
        { platform: 'unknown; unknown', kind: 'artifact', digest: 'sha256:819ff4564a5d4a1c07b4e25bbba420cace378d4ed32671e6ee4eea95df1b8c4c', mediaType: OCI_MANIFEST,
          imageId: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', totalSize: 8, layers: [
            ['sha256:9d1652e3a28773cbad96110aefba541d1de4ebd0df36f43eddd4594de3d479fc', 8, null, null],
          ] },
      ] },
    },
  },
};

/** The reference of each of the 26 index.json entries of regclient-testrepo-ocidir.tar, in order. */
// prettier-ignore
export const REGCLIENT_REFS: string[] = [
  'regclient-testrepo-ocidir:b1',
  'regclient-testrepo-ocidir:b2',
  'regclient-testrepo-ocidir:b3',
  'regclient-testrepo-ocidir:v1',
  'regclient-testrepo-ocidir:v2',
  'regclient-testrepo-ocidir:v3',
  'regclient-testrepo-ocidir:a-docker',
  'regclient-testrepo-ocidir:a-docker-oci',
  'regclient-testrepo-ocidir:sha256-7e87ffc91b9ceafa85be2777b16b1be10e4664fd4f3acc86e4295b97da5163ba',
  'regclient-testrepo-ocidir:a1',
  'regclient-testrepo-ocidir:sha256-dfae8f425735a5e3a72e40d6609e03079995511d48157c74d54801ff4430491e',
  'regclient-testrepo-ocidir:a2',
  'regclient-testrepo-ocidir:sha256-ee378b79279b57eb5ac1f3b892c9ad2a9be9d9ccabe1a29a9cbaed8cad182358',
  'regclient-testrepo-ocidir:sha256-36ed7f4ec4545a40ca043f60d76653ef3d2a76f58a051c0f3a256aaab26fb847',
  'regclient-testrepo-ocidir:sha256-6bed79d0800a0d3a1d0e0e8105a6a5f7f7758ce09e160a8f142574c418302467',
  'regclient-testrepo-ocidir:a3',
  'regclient-testrepo-ocidir:ai',
  'regclient-testrepo-ocidir:a-example',
  'regclient-testrepo-ocidir:sha256-7ceb9b6bcc274697d0c38be6214b50cec79d601bc61708747d3f6cb772f6c6fa.6fe828b32b9b4572.meta',
  'regclient-testrepo-ocidir:child',
  'regclient-testrepo-ocidir:loop',
  'regclient-testrepo-ocidir:sha256-8e54c6754f08d22f85c7552bb1951b228b8194d29b14a1639dbe50868da0273e',
  'regclient-testrepo-ocidir:mirror',
  'regclient-testrepo-ocidir:sha256-0514ce64171e869a0b065fa1ce1b533e82808c9228d5b97ea6e3ef2e026d9aed',
  'regclient-testrepo-ocidir',
  'regclient-testrepo-ocidir',
];
