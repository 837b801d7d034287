/**
 * Decoding an ONNX model's protobuf bytes into the plain objects of
 * descriptor.ts, without protobufjs: explaining a model needs its trees, and
 * loading protobufjs and its generated decoders costs more than the gate's
 * whole run on a small file. A small wire-format reader walks the same
 * descriptor protobufjs is built from and gives what protobufjs' decode +
 * toObject({ longs: Number, arrays: false, defaults: false }) gives: fields
 * present on the wire (the last one wins), repeated fields as arrays (packed
 * or not), int64 as numbers, bytes as views of the input, unknown fields
 * skipped. The ONNX tests check both decoders agree on real models.
 */
import { ONNX_SUBSET, type ModelObj } from './descriptor.js';

type Scalar = 'string' | 'bytes' | 'int32' | 'int64' | 'float' | 'double';

interface FieldSpec {
  name: string;
  repeated: boolean;
  /** A Scalar type name when `scalar`, else the full name of a message type. */
  type: string;
  scalar: boolean;
}

interface MessageSpec {
  fields: Map<number, FieldSpec>;
}

interface DescriptorNode {
  fields?: Record<string, { type: string; id: number; rule?: string }>;
  nested?: Record<string, DescriptorNode>;
}

const SCALARS = new Set<string>(['string', 'bytes', 'int32', 'int64', 'float', 'double']);
/** Wire type each scalar is written with when not packed. */
const WIRE_TYPE: Record<Scalar, number> = { string: 2, bytes: 2, int32: 0, int64: 0, float: 5, double: 1 };

/** Every message type of the descriptor by full name ("onnx.TypeProto.Tensor"), field types resolved as protobuf scopes them. */
function messageSpecs(root: DescriptorNode): Map<string, MessageSpec> {
  const nodes = new Map<string, DescriptorNode>();
  const collect = (node: DescriptorNode, name: string): void => {
    if (node.fields) nodes.set(name, node);
    for (const [child, nested] of Object.entries(node.nested ?? {})) collect(nested, name ? `${name}.${child}` : child);
  };
  collect(root, '');
  const resolve = (scope: string, type: string): string => {
    for (let at = scope; ; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
      const candidate = at ? `${at}.${type}` : type;
      if (nodes.has(candidate)) return candidate;
      if (!at) throw new Error(`descriptor: no type ${type} from ${scope}`);
    }
  };
  const specs = new Map<string, MessageSpec>();
  for (const [name, node] of nodes) {
    const fields = new Map<number, FieldSpec>();
    for (const [field, { type, id, rule }] of Object.entries(node.fields ?? {})) {
      const scalar = SCALARS.has(type);
      fields.set(id, { name: field, repeated: rule === 'repeated', type: scalar ? type : resolve(name, type), scalar });
    }
    specs.set(name, { fields });
  }
  return specs;
}

let specs: Map<string, MessageSpec> | undefined;
/** Protobuf numbers are little-endian: typed arrays read them directly only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder();

/** A position in the bytes, read as protobufjs' Reader reads them (with its error messages). */
class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(length: number, end = this.bytes.length): void {
    if (this.pos + length > end) throw new RangeError(`index out of range: ${this.pos} + ${length} > ${end}`);
  }

  /** An unsigned varint's low 32 bits (up to 10 bytes, the rest skipped), as protobufjs' uint32(). */
  uint32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.bytes[this.pos++];
      value = (value | ((byte & 127) << shift)) >>> 0;
      if (byte < 128) return value;
    }
    this.need(5);
    this.pos += 5;
    return value;
  }

  /** A signed 64-bit varint as a number, as protobufjs' LongBits.toNumber(false). */
  int64(): number {
    const first = this.bytes[this.pos];
    if (first < 128 && this.pos < this.bytes.length) {
      this.pos++;
      return first;
    }
    let lo = 0;
    let hi = 0;
    let i = 0;
    for (; i < 10; i++) {
      this.need(1);
      const byte = this.bytes[this.pos++];
      if (i < 4) lo = (lo | ((byte & 127) << (i * 7))) >>> 0;
      else if (i === 4) {
        lo = (lo | ((byte & 127) << 28)) >>> 0;
        hi = (hi | ((byte & 127) >> 4)) >>> 0;
      } else hi = (hi | ((byte & 127) << (i * 7 - 32))) >>> 0;
      if (byte < 128) break;
    }
    if (i === 10) throw new Error('invalid varint encoding');
    if (hi >>> 31) {
      const low = (~lo + 1) >>> 0;
      let high = ~hi >>> 0;
      if (!low) high = (high + 1) >>> 0;
      return -(low + high * 4294967296);
    }
    return lo + hi * 4294967296;
  }

  float(): number {
    this.need(4);
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field's bytes (a view, no copy). */
  bytesField(): Uint8Array {
    const length = this.uint32();
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, this.pos);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        for (;;) {
          this.need(1);
          if (this.bytes[this.pos++] < 128) return;
        }
      case 1:
        this.need(8);
        this.pos += 8;
        return;
      case 2: {
        const length = this.uint32();
        this.need(length);
        this.pos += length;
        return;
      }
      case 3:
        for (let tag = this.uint32(); (tag & 7) !== 4; tag = this.uint32()) this.skip(tag & 7);
        return;
      case 5:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new Error(`invalid wire type ${wireType} at offset ${this.pos}`);
    }
  }

  /**
   * The values of a packed repeated field up to `stop`, added to `values`:
   * fixed-width floats and doubles copied through a typed array, varints in
   * a loop (a model's node lists hold thousands of them).
   */
  packed(type: Scalar, stop: number, values: unknown[]): void {
    const width = !LITTLE_ENDIAN ? 0 : type === 'float' ? 4 : type === 'double' ? 8 : 0;
    if (width > 0) {
      const count = Math.floor((stop - this.pos) / width);
      // A copy in a buffer of its own, aligned for the typed array (a Node Buffer's slice() would be a view of the file).
      const copy = new Uint8Array(count * width);
      copy.set(this.bytes.subarray(this.pos, this.pos + count * width));
      const numbers = width === 4 ? new Float32Array(copy.buffer, 0, count) : new Float64Array(copy.buffer, 0, count);
      for (let i = 0; i < count; i++) values.push(numbers[i]);
      this.pos += count * width;
      // A trailing partial value is read (and fails) as protobufjs would.
      while (this.pos < stop) values.push(this.scalar(type));
      return;
    }
    while (this.pos < stop) values.push(this.scalar(type));
  }

  scalar(type: Scalar): number | string | Uint8Array {
    switch (type) {
      case 'string':
        return utf8.decode(this.bytesField());
      case 'bytes':
        return this.bytesField();
      case 'int32':
        return this.uint32() | 0;
      case 'int64':
        return this.int64();
      case 'float':
        return this.float();
      case 'double':
        return this.double();
    }
  }
}

function decodeMessage(reader: Reader, type: string, end: number): Record<string, unknown> {
  const spec = (specs as Map<string, MessageSpec>).get(type) as MessageSpec;
  const out: Record<string, unknown> = {};
  while (reader.pos < end) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const field = spec.fields.get(tag >>> 3);
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    if (!field.scalar) {
      if (wireType !== 2) {
        reader.skip(wireType);
        continue;
      }
      const length = reader.uint32();
      const stop = reader.pos + length;
      if (stop > end) throw new RangeError(`index out of range: ${reader.pos} + ${length} > ${end}`);
      const message = decodeMessage(reader, field.type, stop);
      if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(message);
      else out[field.name] = message;
      continue;
    }
    const scalar = field.type as Scalar;
    const packable = scalar !== 'string' && scalar !== 'bytes';
    if (field.repeated && packable && wireType === 2) {
      const length = reader.uint32();
      const stop = reader.pos + length;
      if (stop > end) throw new RangeError(`index out of range: ${reader.pos} + ${length} > ${end}`);
      if (stop === reader.pos) continue;
      const values = (out[field.name] ??= []) as unknown[];
      reader.packed(scalar, stop, values);
      continue;
    }
    if (wireType !== WIRE_TYPE[scalar]) {
      reader.skip(wireType);
      continue;
    }
    const value = reader.scalar(scalar);
    if (!field.repeated) {
      out[field.name] = value;
      continue;
    }
    const values = (out[field.name] ??= []) as unknown[];
    values.push(value);
    // An unpacked repeated field (as protobufjs writes proto2) comes as a run of the same one-byte tag: read the run here.
    if (tag < 128)
      while (reader.pos < end && reader.bytes[reader.pos] === tag) {
        reader.pos++;
        values.push(reader.scalar(scalar));
      }
  }
  return out;
}

/** Decode an ONNX ModelProto; throws (with protobufjs' kind of message) when the bytes are not one. */
export function decodeModel(bytes: Uint8Array): ModelObj {
  specs ??= messageSpecs(ONNX_SUBSET);
  const reader = new Reader(bytes);
  return decodeMessage(reader, 'onnx.ModelProto', bytes.length);
}
