/**
 * Encoding ONNX models with protobufjs, from the descriptor in descriptor.ts;
 * decoding is decode.ts (no protobufjs, so explaining a model does not load it).
 */
import protobuf from 'protobufjs';
import { ONNX_SUBSET, type ModelObj } from './descriptor.js';

export {
  ATTR,
  DTYPE,
  type AttributeObj,
  type DimObj,
  type GraphObj,
  type ModelObj,
  type NodeObj,
  type TensorObj,
  type ValueInfoObj
} from './descriptor.js';
export { decodeModel } from './decode.js';

export const MODEL_PROTO: protobuf.Type = protobuf.Root.fromJSON(ONNX_SUBSET).lookupType('onnx.ModelProto');

export function encodeModel(model: ModelObj): Uint8Array {
  const message = MODEL_PROTO.fromObject(model);
  return MODEL_PROTO.encode(message).finish();
}
