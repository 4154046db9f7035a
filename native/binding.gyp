{
  "targets": [
    {
      "target_name": "tree_export",
      "sources": [
        "tree_export.c",
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/src/lib.c"
      ],
      "include_dirs": [
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/include",
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/src"
      ],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
      "cflags_c": ["-std=c11", "-O3", "-fvisibility=hidden"]
    }
  ]
}
