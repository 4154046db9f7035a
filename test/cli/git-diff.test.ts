import { describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../../src/cli/git.js";

const DIFF = `diff --git a/pkg/app.py b/pkg/app.py
index 1111111..2222222 100644
--- a/pkg/app.py
+++ b/pkg/app.py
@@ -3 +3 @@ def run():
-    old()
+    new()
@@ -10,2 +10,0 @@ def other():
-    removed()
-    removed()
@@ -20,0 +19,3 @@ def tail():
+    a()
+    b()
+    c()
diff --git a/gone.py b/gone.py
deleted file mode 100644
--- a/gone.py
+++ /dev/null
@@ -1,2 +0,0 @@
-x = 1
-y = 2
diff --git a/old name.py b/new name.py
similarity index 90%
rename from old name.py
rename to new name.py
--- a/old name.py
+++ b/new name.py
@@ -4 +4,2 @@
-x
+y
+z
diff --git "a/tab\\there.py" "b/tab\\there.py"
--- "a/tab\\there.py"
+++ "b/tab\\there.py"
@@ -1 +1 @@
-a
+\\303\\251
diff --git a/only_deleted_lines.py b/only_deleted_lines.py
--- a/only_deleted_lines.py
+++ b/only_deleted_lines.py
@@ -5 +4,0 @@
-gone
`;

describe("unified diff parsing", () => {
  it("collects added and changed line ranges per file on the new side", () => {
    const changed = parseUnifiedDiff(DIFF);
    expect(Object.fromEntries(changed)).toEqual({
      "pkg/app.py": [
        [3, 3],
        [19, 21],
      ],
      "new name.py": [[4, 5]],
      "tab\there.py": [[1, 1]],
      "only_deleted_lines.py": [],
    });
  });

  it("returns nothing for an empty diff", () => {
    expect(parseUnifiedDiff("").size).toBe(0);
  });
});
