/**
 * The ONNX decoder without protobufjs (model/onnx/decode.ts) against
 * protobufjs' decode + toObject, on the shipped models, on exported models of
 * several shapes and on models a skl2onnx-like writer would make (packed
 * repeated fields, fields we do not know, negative int64s): the same plain
 * objects, byte for byte; broken bytes are refused.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { BUILTIN_MODELS_DIR } from '../../src/api/models.js';
import { trainGbdt } from '../../src/model/gbdt/boost.js';
import { createRandom } from '../../src/model/gbdt/random.js';
import { decodeModel } from '../../src/model/onnx/decode.js';
import { ONNX_SUBSET, type ModelObj } from '../../src/model/onnx/descriptor.js';
import { ensembleToOnnx } from '../../src/model/onnx/export.js';
import { MODEL_PROTO } from '../../src/model/onnx/schema.js';

/** What the decoders give, with bytes fields as plain arrays (protobufjs gives Buffers, ours views of the input). */
function plain(model: unknown): unknown {
  return JSON.parse(
    JSON.stringify(model, (_, value) =>
      value instanceof Uint8Array ? Array.from(value) : value?.type === 'Buffer' && Array.isArray(value.data) ? value.data : value
    )
  );
}

function byProtobufjs(bytes: Uint8Array): ModelObj {
  return MODEL_PROTO.toObject(MODEL_PROTO.decode(bytes), { longs: Number, arrays: false, defaults: false });
}

describe('decodeModel (no protobufjs)', () => {
  it('gives what protobufjs gives for every shipped model', () => {
    for (const name of ['firmware', 'jit', 'rollback']) {
      const bytes = readFileSync(path.join(BUILTIN_MODELS_DIR, name, 'v001.onnx'));
      const ours = decodeModel(bytes);
      expect(plain(ours)).toEqual(plain(byProtobufjs(bytes)));
      expect(ours.graph?.node?.length).toBeGreaterThan(0);
    }
  });

  it('reads packed floats from a Node Buffer that is a view into a larger buffer (as a file read gives), not from its start', () => {
    const random = createRandom(3);
    const X = Float32Array.from({ length: 600 }, () => random.normal(0, 2));
    const y = Uint8Array.from({ length: 200 }, (_, i) => (X[i * 3] > 0 ? 1 : 0));
    const ensemble = trainGbdt({ X, y, nRows: 200, nFeatures: 3 }, { nTrees: 3, maxDepth: 3, learningRate: 0.3 }).ensemble;
    const bytes = ensembleToOnnx(ensemble, { inputName: 'x', outputName: 'p', producer: 'test', metadata: {} });
    for (const padding of [0, 1, 5]) {
      const inBuffer = Buffer.concat([Buffer.alloc(padding, 0xff), Buffer.from(bytes)]).subarray(padding);
      expect(plain(decodeModel(inBuffer))).toEqual(plain(byProtobufjs(bytes)));
    }
  });

  it('gives what protobufjs gives for exported models of several sizes and depths', () => {
    const random = createRandom(7);
    for (const [rows, depth, trees] of [
      [50, 1, 1],
      [400, 3, 5],
      [2000, 6, 20]
    ]) {
      const X = Float32Array.from({ length: rows * 3 }, () => random.normal(0, 2));
      const y = Uint8Array.from({ length: rows }, (_, i) => (X[i * 3] + X[i * 3 + 1] > 0 ? 1 : 0));
      const ensemble = trainGbdt({ X, y, nRows: rows, nFeatures: 3 }, { nTrees: trees, maxDepth: depth, learningRate: 0.3 }).ensemble;
      const bytes = ensembleToOnnx(ensemble, { inputName: 'x', outputName: 'p', producer: 'test', metadata: { a: 'é' } });
      expect(plain(decodeModel(bytes))).toEqual(plain(byProtobufjs(bytes)));
    }
  });

  it('reads packed repeated fields, skips unknown fields and reads negative int64s as protobufjs does', () => {
    // A writer of our own descriptor with floats unpacked (as proto2 writers do), ints packed, and two fields
    // onnx.proto has but we do not read.
    const descriptor = structuredClone(ONNX_SUBSET) as unknown as {
      nested: { onnx: { nested: Record<string, { fields: Record<string, object> }> } };
    };
    const types = descriptor.nested.onnx.nested;
    Object.assign(types.AttributeProto.fields.floats, { options: { packed: false } });
    Object.assign(types.AttributeProto.fields.ints, { options: { packed: true } });
    types.AttributeProto.fields.ref_attr_name = { type: 'string', id: 21 };
    types.ModelProto.fields.training_info = { type: 'bytes', id: 20 };
    const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
    const model = root.lookupType('onnx.ModelProto');
    const bytes = model
      .encode(
        model.fromObject({
          ir_version: 8,
          training_info: Buffer.from([1, 2, 3]),
          graph: {
            name: 'g',
            node: [
              {
                op_type: 'TreeEnsembleRegressor',
                domain: 'ai.onnx.ml',
                attribute: [
                  { name: 'nodes_values', floats: [0.5, -1.25, 3e38], type: 6 },
                  { name: 'nodes_ids', ints: [0, 1, -1, -(2 ** 40), 2 ** 50], type: 7, ref_attr_name: 'x' },
                  { name: 'post_transform', s: Buffer.from('LOGISTIC'), type: 3 },
                  { name: 'n_targets', i: -3, type: 2 }
                ]
              }
            ]
          }
        })
      )
      .finish();
    // Unpacked floats: a tag before each value (0x3d = field 7, 32-bit); packed ints: one tag, then a length (0x42 = field 8, length-delimited).
    expect(Buffer.from(bytes).includes(Buffer.from([0x3d, 0, 0, 0, 0x3f]))).toBe(true);
    expect(Buffer.from(bytes).includes(0x42)).toBe(true);
    const ours = decodeModel(bytes);
    expect(plain(ours)).toEqual(plain(byProtobufjs(bytes)));
    expect(ours.graph?.node?.[0].attribute?.[0].floats).toEqual([0.5, -1.25, Math.fround(3e38)]);
    expect(ours.graph?.node?.[0].attribute?.[1].ints).toEqual([0, 1, -1, -(2 ** 40), 2 ** 50]);
    expect(ours.graph?.node?.[0].attribute?.[3].i).toBe(-3);
  });

  it('refuses cut and broken bytes with an error', () => {
    const bytes = readFileSync(path.join(BUILTIN_MODELS_DIR, 'firmware', 'v001.onnx'));
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 7))).toThrow(/index out of range/);
    expect(() => decodeModel(Uint8Array.from([0x0f, 0x01]))).toThrow(/invalid wire type 7/);
  });
});
