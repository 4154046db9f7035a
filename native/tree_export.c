// Parses Python with tree-sitter and hands the whole tree to JavaScript in one call, as a flat array.
//
// Why: walking a tree through the `tree-sitter` binding costs one N-API call per cursor move and per
// property (measured: about 1 µs per node, as long as the parse itself). Here the walk happens in C and
// JavaScript receives one Int32Array; the native tree is deleted before the call returns, so no native
// memory waits for a garbage collection either.
//
// The parser and the grammar are those of the `tree-sitter` and `tree-sitter-python` packages: the runtime
// is compiled from the `tree-sitter` package's vendored sources, and the language comes from the
// `tree-sitter-python` binding (its `language` external), so trees are identical to the binding's.
#include <node_api.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tree_sitter/api.h>

// One record per visible node, in document order (pre-order).
enum {
  RECORD_SYMBOL,      // ts_node_symbol (aliases applied), as the binding's nodeTypeId
  RECORD_FIELD,       // field id under the parent, 0 for none
  RECORD_START,       // UTF-16 index
  RECORD_END,         // UTF-16 index
  RECORD_DESCENDANTS, // number of records in this node's subtree, itself excluded
  RECORD_FLAGS,       // FLAG_*
  RECORD_SIZE
};
#define FLAG_NAMED 1
#define FLAG_MISSING 2

typedef struct {
  TSParser *parser;
} ExportState;

static void delete_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  ExportState *state = data;
  if (state->parser) ts_parser_delete(state->parser);
  free(state);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static const TSLanguage *language_of(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return NULL;
  if (type == napi_object) {
    // The grammar package exports `{ language: External }`.
    napi_value inner;
    if (napi_get_named_property(env, value, "language", &inner) != napi_ok) return NULL;
    value = inner;
    if (napi_typeof(env, value, &type) != napi_ok) return NULL;
  }
  if (type != napi_external) return NULL;
  void *pointer = NULL;
  if (napi_get_value_external(env, value, &pointer) != napi_ok) return NULL;
  return pointer;
}

// A parse with a time limit: tree-sitter asks this callback as it goes and stops when it returns true.
typedef struct {
  const char16_t *text;
  uint32_t bytes;
  double deadline_ms;
} TimedInput;

static double monotonic_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static const char *read_timed(void *payload, uint32_t byte_index, TSPoint position, uint32_t *bytes_read) {
  (void)position;
  TimedInput *input = payload;
  if (byte_index >= input->bytes) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = input->bytes - byte_index;
  return (const char *)input->text + byte_index;
}

static bool past_deadline(TSParseState *state) {
  return monotonic_ms() > ((TimedInput *)state->payload)->deadline_ms;
}

// exportTree(language, text[, timeoutMs]) -> { records: Int32Array, hasError: boolean }, or null when the
// parse ran past timeoutMs (a grammar can be superlinear on some inputs; one native call must not hold a
// thread for minutes).
static napi_value export_tree(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2) {
    return throw_error(env, "exportTree(language, text) needs two arguments");
  }
  double timeout_ms = 0;
  if (argc > 2) {
    napi_valuetype kind;
    if (napi_typeof(env, argv[2], &kind) == napi_ok && kind == napi_number) napi_get_value_double(env, argv[2], &timeout_ms);
  }
  const TSLanguage *language = language_of(env, argv[0]);
  if (!language) return throw_error(env, "exportTree: the first argument is not a tree-sitter language");

  size_t length = 0;
  if (napi_get_value_string_utf16(env, argv[1], NULL, 0, &length) != napi_ok) {
    return throw_error(env, "exportTree: the second argument is not a string");
  }
  char16_t *text = malloc((length + 1) * sizeof(char16_t));
  if (!text) return throw_error(env, "exportTree: out of memory");
  napi_get_value_string_utf16(env, argv[1], text, length + 1, &length);

  ExportState *state = NULL;
  napi_get_instance_data(env, (void **)&state);
  if (!state->parser) state->parser = ts_parser_new();
  if (!ts_parser_set_language(state->parser, language)) {
    free(text);
    return throw_error(env, "exportTree: incompatible language version");
  }
  TSTree *tree;
  if (timeout_ms > 0) {
    TimedInput timed = {text, (uint32_t)(length * sizeof(char16_t)), monotonic_ms() + timeout_ms};
    TSInput input = {&timed, read_timed, TSInputEncodingUTF16LE, NULL};
    TSParseOptions options = {&timed, past_deadline};
    tree = ts_parser_parse_with_options(state->parser, NULL, input, options);
    if (!tree) {
      // Cancelled: the parser would resume this parse next time unless reset.
      ts_parser_reset(state->parser);
      free(text);
      napi_value null_value;
      napi_get_null(env, &null_value);
      return null_value;
    }
  } else {
    tree = ts_parser_parse_string_encoding(state->parser, NULL, (const char *)text,
                                           (uint32_t)(length * sizeof(char16_t)), TSInputEncodingUTF16LE);
  }
  free(text);
  if (!tree) return throw_error(env, "exportTree: the parser returned no tree");

  TSNode root = ts_tree_root_node(tree);
  bool has_error = ts_node_has_error(root);
  uint32_t capacity = 1024;
  uint32_t count = 0;
  int32_t *records = malloc((size_t)capacity * RECORD_SIZE * sizeof(int32_t));
  // Indexes of the records of the cursor's ancestors, to fill in their descendant counts on the way up.
  uint32_t depth_capacity = 64;
  uint32_t depth = 0;
  uint32_t *open = malloc(depth_capacity * sizeof(uint32_t));
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool out_of_memory = !records || !open;
  while (!out_of_memory) {
    if (count == capacity) {
      capacity *= 2;
      int32_t *grown = realloc(records, (size_t)capacity * RECORD_SIZE * sizeof(int32_t));
      if (!grown) {
        out_of_memory = true;
        break;
      }
      records = grown;
    }
    TSNode node = ts_tree_cursor_current_node(&cursor);
    int32_t *record = records + (size_t)count * RECORD_SIZE;
    record[RECORD_SYMBOL] = ts_node_is_null(node) ? 0 : ts_node_symbol(node);
    record[RECORD_FIELD] = ts_tree_cursor_current_field_id(&cursor);
    record[RECORD_START] = (int32_t)(ts_node_start_byte(node) / sizeof(char16_t));
    record[RECORD_END] = (int32_t)(ts_node_end_byte(node) / sizeof(char16_t));
    record[RECORD_DESCENDANTS] = 0;
    record[RECORD_FLAGS] = (ts_node_is_named(node) ? FLAG_NAMED : 0) | (ts_node_is_missing(node) ? FLAG_MISSING : 0);
    uint32_t index = count++;

    if (ts_tree_cursor_goto_first_child(&cursor)) {
      if (depth == depth_capacity) {
        depth_capacity *= 2;
        uint32_t *grown = realloc(open, depth_capacity * sizeof(uint32_t));
        if (!grown) {
          out_of_memory = true;
          break;
        }
        open = grown;
      }
      open[depth++] = index;
      continue;
    }
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      uint32_t parent = open[--depth];
      records[(size_t)parent * RECORD_SIZE + RECORD_DESCENDANTS] = (int32_t)(count - parent - 1);
    }
    if (done) break;
  }
  ts_tree_cursor_delete(&cursor);
  ts_tree_delete(tree);
  free(open);
  if (out_of_memory) {
    free(records);
    return throw_error(env, "exportTree: out of memory");
  }

  napi_value buffer, array, result, flag;
  void *data = NULL;
  size_t bytes = (size_t)count * RECORD_SIZE * sizeof(int32_t);
  napi_status status = napi_create_arraybuffer(env, bytes, &data, &buffer);
  if (status != napi_ok) {
    free(records);
    return throw_error(env, "exportTree: could not allocate the result");
  }
  memcpy(data, records, bytes);
  free(records);
  napi_create_typedarray(env, napi_int32_array, (size_t)count * RECORD_SIZE, buffer, 0, &array);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "records", array);
  napi_get_boolean(env, has_error, &flag);
  napi_set_named_property(env, result, "hasError", flag);
  return result;
}

// The language passed as a function's only argument, or NULL (with a JavaScript error thrown).
static const TSLanguage *language_argument(napi_env env, napi_callback_info info, const char *error) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const TSLanguage *language = argc > 0 ? language_of(env, argv[0]) : NULL;
  if (!language) throw_error(env, error);
  return language;
}

typedef const char *(*NameAt)(const TSLanguage *, uint32_t);

static const char *symbol_name_at(const TSLanguage *language, uint32_t id) {
  return ts_language_symbol_name(language, (TSSymbol)id);
}

static const char *field_name_at(const TSLanguage *language, uint32_t id) {
  return id == 0 ? "" : ts_language_field_name_for_id(language, (TSFieldId)id);
}

// The names `name_at` gives for ids 0 .. count-1, as a JavaScript array (a missing name as "").
static napi_value names_array(napi_env env, const TSLanguage *language, uint32_t count, NameAt name_at) {
  napi_value list;
  napi_create_array_with_length(env, count, &list);
  for (uint32_t id = 0; id < count; id++) {
    napi_value name;
    const char *text = name_at(language, id);
    napi_create_string_utf8(env, text ? text : "", NAPI_AUTO_LENGTH, &name);
    napi_set_element(env, list, id, name);
  }
  return list;
}

// symbolNames(language) -> names indexed by symbol id (the binding's nodeTypeId).
static napi_value symbol_names(napi_env env, napi_callback_info info) {
  const TSLanguage *language = language_argument(env, info, "symbolNames: the argument is not a tree-sitter language");
  return language ? names_array(env, language, ts_language_symbol_count(language), symbol_name_at) : NULL;
}

// fieldNames(language) -> names indexed by field id (index 0, no field, is "").
static napi_value field_names(napi_env env, napi_callback_info info) {
  const TSLanguage *language = language_argument(env, info, "fieldNames: the argument is not a tree-sitter language");
  return language ? names_array(env, language, ts_language_field_count(language) + 1, field_name_at) : NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  ExportState *state = calloc(1, sizeof(ExportState));
  if (!state || napi_set_instance_data(env, state, delete_state, NULL) != napi_ok) {
    free(state);
    return throw_error(env, "tree export: could not initialise");
  }
  napi_property_descriptor properties[] = {
    {"exportTree", NULL, export_tree, NULL, NULL, NULL, napi_default, NULL},
    {"symbolNames", NULL, symbol_names, NULL, NULL, NULL, napi_default, NULL},
    {"fieldNames", NULL, field_names, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}
