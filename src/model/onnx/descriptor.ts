/**
 * The subset of onnx.proto (onnx/onnx, IR version 8) that patch-risk-gate
 * writes and reads, as a protobuf descriptor (protobufjs' JSON form), and
 * the plain objects a decoded model is made of. Field numbers and types are
 * those of onnx.proto; fields not listed here are skipped when a model is
 * decoded, so any ONNX file decodes. No protobuf library is loaded here:
 * schema.ts encodes with protobufjs, decode.ts reads without it.
 */
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const single = (type: string, id: number) => ({ type, id });

export const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: single('string', 1),
            doc_string: single('string', 13),
            type: single('int32', 20),
            f: single('float', 2),
            i: single('int64', 3),
            s: single('bytes', 4),
            t: single('TensorProto', 5),
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            tensors: repeated('TensorProto', 10)
          }
        },
        ValueInfoProto: {
          fields: { name: single('string', 1), type: single('TypeProto', 2), doc_string: single('string', 3) }
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: single('string', 3),
            op_type: single('string', 4),
            domain: single('string', 7),
            attribute: repeated('AttributeProto', 5),
            doc_string: single('string', 6)
          }
        },
        ModelProto: {
          fields: {
            ir_version: single('int64', 1),
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: single('string', 2),
            producer_version: single('string', 3),
            domain: single('string', 4),
            model_version: single('int64', 5),
            doc_string: single('string', 6),
            graph: single('GraphProto', 7),
            metadata_props: repeated('StringStringEntryProto', 14)
          }
        },
        StringStringEntryProto: { fields: { key: single('string', 1), value: single('string', 2) } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: single('string', 2),
            initializer: repeated('TensorProto', 5),
            doc_string: single('string', 10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            value_info: repeated('ValueInfoProto', 13)
          }
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: single('int32', 2),
            float_data: repeated('float', 4),
            int32_data: repeated('int32', 5),
            int64_data: repeated('int64', 7),
            name: single('string', 8),
            raw_data: single('bytes', 9),
            double_data: repeated('double', 10)
          }
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: single('int64', 1), dim_param: single('string', 2), denotation: single('string', 3) }
            }
          }
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: single('Tensor', 1), denotation: single('string', 6) },
          nested: {
            Tensor: { fields: { elem_type: single('int32', 1), shape: single('TensorShapeProto', 2) } }
          }
        },
        OperatorSetIdProto: { fields: { domain: single('string', 1), version: single('int64', 2) } }
      }
    }
  }
};

/** AttributeProto.AttributeType values used here. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
/** TensorProto.DataType values used here. */
export const DTYPE = { FLOAT: 1, INT64: 7, DOUBLE: 11 } as const;

// Plain-object views of the decoded messages (int64 decoded as numbers).
export interface TensorObj {
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  double_data?: number[];
  raw_data?: Uint8Array;
}
export interface AttributeObj {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorObj;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface NodeObj {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeObj[];
}
export interface DimObj {
  dim_value?: number;
  dim_param?: string;
}
export interface ValueInfoObj {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: DimObj[] } } };
}
export interface GraphObj {
  node?: NodeObj[];
  name?: string;
  initializer?: (TensorObj & { name?: string })[];
  input?: ValueInfoObj[];
  output?: ValueInfoObj[];
}
export interface ModelObj {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: GraphObj;
  metadata_props?: { key: string; value: string }[];
}
