import { describe, expect, it } from 'vitest';
import { dockerfileFromHistory } from '../../../src/lib/report/dockerfile.ts';

const POWERSHELL = [
  'powershell',
  '-Command',
  "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';",
];

describe('dockerfileFromHistory', () => {
  it('returns an empty string when there is no created_by', () => {
    expect(dockerfileFromHistory(null, null)).toBe('');
    expect(dockerfileFromHistory('', null)).toBe('');
  });

  it('keeps #(nop) instructions of the classic builder, trailing space included', () => {
    expect(dockerfileFromHistory('/bin/sh -c #(nop)  CMD ["sh"]', null)).toBe('CMD ["sh"]');
    expect(dockerfileFromHistory('/bin/sh -c #(nop) ADD file:abc in / ', null)).toBe(
      'ADD file:abc in / ',
    );
    expect(dockerfileFromHistory('/bin/sh -c #(nop)  USER [memcache]', null)).toBe(
      'USER [memcache]',
    );
    expect(dockerfileFromHistory('/bin/sh -c #(nop)  ARG version=11.0.20.9-1', null)).toBe(
      'ARG version=11.0.20.9-1',
    );
  });

  it('turns a classic shell command into RUN, tabs and comments kept', () => {
    expect(dockerfileFromHistory('/bin/sh -c apk add --no-cache ca-certificates', null)).toBe(
      'RUN apk add --no-cache ca-certificates',
    );
    expect(dockerfileFromHistory('/bin/sh -c set -ex \t&& apk add \t\tgnupg ', null)).toBe(
      'RUN set -ex \t&& apk add \t\tgnupg ',
    );
    expect(
      dockerfileFromHistory(
        '/bin/sh -c ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat',
        null,
      ),
    ).toBe('RUN ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh # backwards compat');
  });

  it('turns |N build args into an # ARGS: line', () => {
    expect(
      dockerfileFromHistory('|1 version=11.0.20.9-1 /bin/sh -c set -eux     && export A', null),
    ).toBe('# ARGS: version=11.0.20.9-1\nRUN set -eux     && export A');
    expect(
      dockerfileFromHistory('RUN |1 version=11.0.20.9-1 /bin/sh -c set -eux # buildkit', null),
    ).toBe('# ARGS: version=11.0.20.9-1\nRUN set -eux # buildkit');
    expect(dockerfileFromHistory('|2 A=a b B=c /bin/sh -c echo "$A"', null)).toBe(
      '# ARGS: A=a b B=c\nRUN echo "$A"',
    );
  });

  it('gives up on build args it cannot delimit, as repo-info does', () => {
    expect(dockerfileFromHistory('RUN |1 a=b echo hi # buildkit', null)).toBe(
      '# unable to parse image command string further:\n|1 a=b echo hi # buildkit',
    );
  });

  it('keeps BuildKit and kaniko lines that already name their instruction', () => {
    expect(dockerfileFromHistory('COPY hello / # buildkit', null)).toBe('COPY hello / # buildkit');
    expect(dockerfileFromHistory('CMD ["/hello"]', null)).toBe('CMD ["/hello"]');
    expect(dockerfileFromHistory('ENV LANG=C.UTF-8', null)).toBe('ENV LANG=C.UTF-8');
    expect(dockerfileFromHistory('RUN /bin/sh -c yum install -y tar # buildkit', null)).toBe(
      'RUN yum install -y tar # buildkit',
    );
    expect(dockerfileFromHistory('RUN mkdir -p /x', null)).toBe('RUN mkdir -p /x');
    expect(dockerfileFromHistory('ADD README.md /somefile.txt', null)).toBe(
      'ADD README.md /somefile.txt',
    );
    expect(dockerfileFromHistory('ARG arg_label', null)).toBe('ARG arg_label');
  });

  it('prefixes RUN to anything else, other tools included', () => {
    expect(dockerfileFromHistory('Apply image 1809-amd64', null)).toBe(
      'RUN Apply image 1809-amd64',
    );
    expect(dockerfileFromHistory('buildah copy platform.txt + remove-me.txt', null)).toBe(
      'RUN buildah copy platform.txt + remove-me.txt',
    );
    expect(dockerfileFromHistory('umoci config', null)).toBe('RUN umoci config');
    // Only real instructions count: an upper-case command stays a RUN.
    expect(dockerfileFromHistory('/bin/sh -c CGO_ENABLED=0 go build', null)).toBe(
      'RUN CGO_ENABLED=0 go build',
    );
    expect(dockerfileFromHistory('/bin/sh -c ECHO hi', null)).toBe('RUN ECHO hi');
    expect(dockerfileFromHistory('/bin/sh -c COPYRIGHT=1 x', null)).toBe('RUN COPYRIGHT=1 x');
  });

  it('strips only /bin/sh -c and the configured shell', () => {
    expect(dockerfileFromHistory('cmd /S /C #(nop) COPY file:0afaffc2 in C: ', null)).toBe(
      'RUN cmd /S /C #(nop) COPY file:0afaffc2 in C: ',
    );
    expect(
      dockerfileFromHistory('cmd /S /C #(nop)  CMD ["cmd" "/C" "type C:\\\\hello.txt"]', null),
    ).toBe('RUN cmd /S /C #(nop)  CMD ["cmd" "/C" "type C:\\\\hello.txt"]');
    const p = POWERSHELL.join(' ');
    expect(dockerfileFromHistory(`${p} #(nop)  SHELL [${p}]`, POWERSHELL)).toBe(`SHELL [${p}]`);
    expect(
      dockerfileFromHistory(`${p} Invoke-WebRequest         -Uri "https://x/y.zip"`, POWERSHELL),
    ).toBe('RUN Invoke-WebRequest         -Uri "https://x/y.zip"');
    expect(dockerfileFromHistory(`${p} #(nop) EXPOSE 80`, POWERSHELL)).toBe('EXPOSE 80');
    // The default shell is still recognised when the config names another one.
    expect(dockerfileFromHistory('/bin/sh -c #(nop)  CMD ["sh"]', POWERSHELL)).toBe('CMD ["sh"]');
    expect(dockerfileFromHistory('|1 a=b /bin/bash -c echo', ['/bin/bash', '-c'])).toBe(
      '# ARGS: a=b\nRUN echo',
    );
  });

  it('treats shell text literally, not as a pattern', () => {
    expect(dockerfileFromHistory('a.b x', ['a+b'])).toBe('RUN a.b x');
    expect(dockerfileFromHistory('a+b x', ['a+b'])).toBe('RUN x');
  });
});
