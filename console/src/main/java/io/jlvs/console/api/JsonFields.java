package io.jlvs.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/** Typed reads of a request body's fields; a field of the wrong type or one the call does not know answers 400. */
final class JsonFields {
    private final ObjectNode body;

    JsonFields(ObjectNode body, Set<String> known) throws ApiException {
        this.body = body;
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "' (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    String text(String name, String otherwise) throws ApiException {
        if (!has(name)) return otherwise;
        JsonNode n = body.get(name);
        if (!n.isTextual()) throw ApiException.badRequest("field '" + name + "' must be a string");
        return n.textValue();
    }

    long integer(String name, long otherwise) throws ApiException {
        if (!has(name)) return otherwise;
        JsonNode n = body.get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.badRequest("field '" + name + "' must be an integer");
        }
        return n.longValue();
    }

    boolean bool(String name, boolean otherwise) throws ApiException {
        if (!has(name)) return otherwise;
        JsonNode n = body.get(name);
        if (!n.isBoolean()) throw ApiException.badRequest("field '" + name + "' must be true or false");
        return n.booleanValue();
    }

    /** A list of strings, given as a JSON array or one comma-separated string. */
    java.util.List<String> strings(String name, java.util.List<String> otherwise) throws ApiException {
        if (!has(name)) return otherwise;
        JsonNode n = body.get(name);
        if (n.isTextual()) {
            return n.textValue().isEmpty() ? java.util.List.of() : java.util.List.of(n.textValue().split(","));
        }
        if (!n.isArray()) throw ApiException.badRequest("field '" + name + "' must be an array of strings");
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) throw ApiException.badRequest("field '" + name + "' must be an array of strings");
            out.add(e.textValue());
        }
        return out;
    }
}
