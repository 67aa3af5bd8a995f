"""Validate an OpenAPI document with tools independent of the code that wrote it.

Usage: python validate.py DOCUMENT.json

1. openapi-spec-validator checks the document against the OpenAPI 3.1 schema
   (every error is printed, not just the first).
2. Every example in it (schema examples, media-type examples) is checked
   against its schema with openapi-schema-validator's OAS 3.1 validator, so an
   example cannot drift from the type it illustrates.

Exits 0 when both find nothing, 1 otherwise.
"""

import json
import sys

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import OpenAPIV31SpecValidator


def spec_errors(spec):
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in OpenAPIV31SpecValidator(spec).iter_errors()
    ]


def example_errors(spec):
    """Each example checked against its schema, refs resolved in the document."""
    components = spec.get("components", {})
    out = []

    def check(where, schema, example):
        # The document is the root resource, so `#/components/...` resolves.
        root = {"components": components, **schema}
        for e in OAS31Validator(root).iter_errors(example):
            path = "/".join(str(p) for p in e.absolute_path) or "(root)"
            out.append(f"{where}: example at {path}: {e.message}")

    for name, schema in components.get("schemas", {}).items():
        for i, example in enumerate(schema.get("examples", [])):
            check(f"components/schemas/{name} examples[{i}]", schema, example)
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            media = []
            body = op.get("requestBody", {})
            for mt, m in body.get("content", {}).items():
                media.append((f"{method.upper()} {path} request {mt}", m))
            for status, r in op["responses"].items():
                for mt, m in r.get("content", {}).items():
                    media.append((f"{method.upper()} {path} {status} {mt}", m))
            for where, m in media:
                if "example" in m and "schema" in m:
                    check(where, m["schema"], m["example"])
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    errors = spec_errors(spec)
    for e in errors:
        print(f"INVALID OPENAPI: {e}")
    bad_examples = example_errors(spec)
    for e in bad_examples:
        print(f"BAD EXAMPLE: {e}")
    operations = sum(
        1 for item in spec.get("paths", {}).values() for k in item if k in
        ("get", "put", "post", "patch", "delete")
    )
    print(
        f"openapi {spec.get('openapi')}: {operations} operations, "
        f"{len(spec.get('components', {}).get('schemas', {}))} schemas, "
        f"{len(errors)} validation errors, {len(bad_examples)} bad examples"
    )
    sys.exit(1 if errors or bad_examples else 0)


if __name__ == "__main__":
    main()
