// jest's node environment with the host's typed arrays: onnxruntime-node's native binding checks
// `data instanceof Float32Array` against the host realm, so tensors made inside jest's sandbox were
// refused ("A float32 tensor's data must be type of function Float32Array()"). Sharing the
// constructors lets in-process tests score with the real onnxruntime, as the action and CLI do.
import { TestEnvironment } from 'jest-environment-node';

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array'
];

export default class HostTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}
