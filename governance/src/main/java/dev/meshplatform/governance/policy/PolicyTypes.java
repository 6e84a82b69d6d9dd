package dev.meshplatform.governance.policy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

/**
 * The struct types policies are written against ({@code mesh.Product}, {@code mesh.Field}, {@code mesh.Principal},
 * {@code mesh.Request}, {@code mesh.Compatibility}, {@code mesh.Lineage}), declared as protobuf messages so that CEL's type checker knows
 * every field: a misspelled one is refused when a policy is saved, not when it runs. Built in code, so the build
 * needs no protoc.
 */
final class PolicyTypes {

    public static final String PACKAGE = "mesh";
    static final FileDescriptor FILE = build();
    public static final Descriptor PRODUCT = FILE.findMessageTypeByName("Product");
    public static final Descriptor FIELD = FILE.findMessageTypeByName("Field");
    public static final Descriptor QUALITY_RULE = FILE.findMessageTypeByName("QualityRule");
    public static final Descriptor SLOS = FILE.findMessageTypeByName("Slos");
    public static final Descriptor PRINCIPAL = FILE.findMessageTypeByName("Principal");
    public static final Descriptor REQUEST = FILE.findMessageTypeByName("Request");
    public static final Descriptor COMPATIBILITY = FILE.findMessageTypeByName("Compatibility");
    public static final Descriptor LINEAGE = FILE.findMessageTypeByName("Lineage");

    private PolicyTypes() {
    }

    private static FileDescriptor build() {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("mesh/policy_types.proto")
                .setPackage(PACKAGE)
                .setSyntax("proto3")
                .addMessageType(message("Field",
                        string("name", 1), string("type", 2), bool("required", 3), string("description", 4),
                        string("classification", 5), repeatedString("tags", 6), repeated("fields", 7, "Field")))
                .addMessageType(message("QualityRule",
                        string("name", 1), string("type", 2), string("severity", 3), string("column", 4)))
                .addMessageType(message("Slos", string("freshness", 1), scalar("completeness", 2, Type.TYPE_DOUBLE)))
                .addMessageType(message("Product",
                        string("domain", 1), string("name", 2), string("version", 3), scalar("major", 4, Type.TYPE_INT64),
                        string("status", 5), string("title", 6), string("description", 7), string("owner", 8),
                        repeatedString("tags", 9), repeated("schema", 10, "Field"),
                        repeated("quality", 11, "QualityRule"), message("slos", 12, "Slos"),
                        string("retention", 13), repeatedString("inputs", 14), string("transformation", 15),
                        repeated("all_fields", 16, "Field")))
                .addMessageType(message("Principal", string("name", 1), string("role", 2), string("domain", 3)))
                .addMessageType(message("Request",
                        string("operation", 1), string("purpose", 2), repeatedString("columns", 3),
                        bool("own_domain", 4), bool("granted", 5)))
                .addMessageType(message("Compatibility",
                        repeatedString("removed", 1), repeatedString("retyped", 2), repeatedString("now_required", 3)))
                .addMessageType(message("Lineage",
                        string("status", 1), string("reason", 2), repeatedString("under_classified", 3)))
                .build();
        try {
            return FileDescriptor.buildFrom(file, new FileDescriptor[0]);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException("the policy types do not build", e);
        }
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto field : fields) {
            message.addField(field);
        }
        return message.build();
    }

    private static FieldDescriptorProto scalar(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(Label.LABEL_OPTIONAL).setJsonName(name).build();
    }

    private static FieldDescriptorProto string(String name, int number) {
        return scalar(name, number, Type.TYPE_STRING);
    }

    private static FieldDescriptorProto bool(String name, int number) {
        return scalar(name, number, Type.TYPE_BOOL);
    }

    private static FieldDescriptorProto repeatedString(String name, int number) {
        return scalar(name, number, Type.TYPE_STRING).toBuilder().setLabel(Label.LABEL_REPEATED).build();
    }

    private static FieldDescriptorProto message(String name, int number, String type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
                .setTypeName("." + PACKAGE + "." + type).setLabel(Label.LABEL_OPTIONAL).build();
    }

    private static FieldDescriptorProto repeated(String name, int number, String type) {
        return message(name, number, type).toBuilder().setLabel(Label.LABEL_REPEATED).build();
    }
}
