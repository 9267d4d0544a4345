// The playground's "Project files": what a dropped folder, a picked folder or picked files hold, listed
// in the browser. Nothing is uploaded: the page reads the files the engine's readers want itself
// (src/project.rs decides which, with slimfile_core::context::wants) and gives them to the engine.
//
// Every function returns {paths, truncated}: paths are [path, size, File] triples, path relative to the
// dropped or picked folder (its own name removed), at most `max` of them. A folder named in `opaque`
// (node_modules, .git, target, …) is listed as "name/" and never entered: a folder of dependencies can
// hold a hundred thousand files.

function underOpaque(path, opaque) {
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    if (opaque.includes(parts[i])) return parts.slice(0, i + 1).join('/') + '/';
  }
  return null;
}

/// An <input type=file> (with or without webkitdirectory), or anything else with a `files` list.
export function listInput(input, opaque, max) {
  const files = Array.from(input.files || []);
  const rel = files.map((f) => f.webkitRelativePath || f.name);
  // A picked folder: every path starts with the folder's name.
  const top = rel.length && rel.every((p) => p.includes('/')) ? rel[0].split('/')[0] + '/' : '';
  const strip = top && rel.every((p) => p.startsWith(top)) ? top.length : 0;
  const out = [];
  const seen = new Set();
  let truncated = false;
  files.forEach((f, i) => {
    const path = rel[i].slice(strip);
    const folder = underOpaque(path, opaque);
    const entry = folder ?? path;
    if (seen.has(entry)) return;
    if (out.length >= max) { truncated = true; return; }
    seen.add(entry);
    out.push(folder ? [folder, 0, null] : [path, f.size, f]);
  });
  return { paths: out, truncated, folder: strip > 0 };
}

function readEntries(reader) {
  return new Promise((resolve) => reader.readEntries(resolve, () => resolve([])));
}

function fileOf(entry) {
  return new Promise((resolve) => entry.file(resolve, () => resolve(null)));
}

/// A drop's DataTransfer: folders are walked (webkitGetAsEntry), files taken as they are. When the browser
/// gives no entries (no webkitGetAsEntry, or files a page or another app put there), the dropped files are
/// taken by name, as picked files are.
export async function listDrop(dataTransfer, opaque, max) {
  const roots = Array.from(dataTransfer.items || [])
    .map((it) => (it.webkitGetAsEntry ? it.webkitGetAsEntry() : null))
    .filter(Boolean);
  if (!roots.length) return listInput(dataTransfer, opaque, max);
  // One folder dropped: its contents are the context. Otherwise what was dropped, by name.
  const folder = roots.length === 1 && roots[0].isDirectory;
  const out = [];
  let truncated = false;
  const queue = folder ? [[roots[0], '']] : roots.map((r) => [r, null]);
  while (queue.length) {
    const [entry, prefix] = queue.shift();
    const path = prefix === null ? entry.name : prefix;
    if (entry.isDirectory) {
      if (prefix !== '' && opaque.includes(entry.name)) {
        if (out.length >= max) { truncated = true; break; }
        out.push([path + '/', 0, null]);
        continue;
      }
      if (prefix !== '') {
        if (out.length >= max) { truncated = true; break; }
        out.push([path + '/', 0, null]);
      }
      const reader = entry.createReader();
      for (;;) {
        const batch = await readEntries(reader);
        if (!batch.length) break;
        for (const child of batch) queue.push([child, (prefix === '' ? '' : path + '/') + child.name]);
      }
    } else {
      if (out.length >= max) { truncated = true; break; }
      const file = await fileOf(entry);
      if (file) out.push([path, file.size, file]);
    }
  }
  return { paths: out, truncated, folder };
}

/// A file's text (UTF-8), or null when it is not text.
export async function readText(file) {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
