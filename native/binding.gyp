{
  "variables": {
    # tree-sitter's runtime sources, found the way Node finds the package (hoisted or nested), so the addon
    # builds in this repository and inside any project that installs rce-guard. Relative to this folder:
    # gyp's make generator cannot place the object file of an absolute source path.
    "tree_sitter_dir": "<!(node -p \"require('path').relative(process.cwd(), require('path').dirname(require.resolve('tree-sitter/package.json'))).split(require('path').sep).join('/')\")"
  },
  "targets": [
    {
      "target_name": "tree_export",
      "sources": [
        "tree_export.c",
        "<(tree_sitter_dir)/vendor/tree-sitter/lib/src/lib.c"
      ],
      "include_dirs": [
        "<(tree_sitter_dir)/vendor/tree-sitter/lib/include",
        "<(tree_sitter_dir)/vendor/tree-sitter/lib/src"
      ],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
      "cflags_c": ["-std=c11", "-O3", "-fvisibility=hidden"]
    }
  ]
}
