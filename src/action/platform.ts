/**
 * onnxruntime's native binding ships in dist/ for these platforms only;
 * checked before anything loads onnxruntime so other runners get a clear
 * message instead of a missing .node file.
 */
export const SUPPORTED_PLATFORMS = ['linux-x64', 'linux-arm64'] as const;

export function unsupportedPlatform(platform: string, arch: string): string | undefined {
  const here = `${platform}-${arch}`;
  if ((SUPPORTED_PLATFORMS as readonly string[]).includes(here)) return undefined;
  return (
    `patch-risk-gate runs on ${SUPPORTED_PLATFORMS.join(' and ')} runners only (this runner is ${here}); ` +
    'use runs-on: ubuntu-latest or ubuntu-24.04-arm'
  );
}
