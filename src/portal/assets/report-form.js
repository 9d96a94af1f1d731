// The report form, encrypted in the browser: a progressive enhancement of the plain form.
//
// Without this script (or when anything here fails before sending) the form is a plain multipart
// POST over TLS. With it, the answers and every file are encrypted to the program's OpenPGP key,
// embedded in the page, before anything leaves the browser: the server receives only ciphertext,
// and not even the file names. The wire format is described in src/portal/encrypted-submission.ts.

const FORMAT_VERSION = '1';

/** Fill `{name}` placeholders of a message the server translated for us. */
function format(message, vars) {
  return (message || '').replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/**
 * The answers as the plain form would send them, typed: a checkbox group gives a list, a lone
 * checkbox `true`, everything else its text. Unanswered groups and lone checkboxes are left out,
 * as a browser leaves them out of a plain submission.
 */
function collectAnswers(form) {
  const answers = {};
  for (const el of form.querySelectorAll('input, select, textarea')) {
    const name = el.getAttribute('name');
    if (!name || el.disabled || ['file', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if (el.type === 'checkbox') {
      if (el.closest('fieldset.group')) {
        if (!Array.isArray(answers[name])) answers[name] = [];
        if (el.checked) answers[name].push(el.value);
      } else if (el.checked) {
        answers[name] = true;
      }
    } else if (el.type === 'radio') {
      if (el.checked) answers[name] = el.value;
    } else if (el.tagName === 'SELECT' && el.multiple) {
      answers[name] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      answers[name] = el.value;
    }
  }
  for (const [name, value] of Object.entries(answers)) {
    if (Array.isArray(value) && value.length === 0) delete answers[name];
  }
  return answers;
}

/** Put answers back into fields a refused form came back without (e.g. it could not be read). */
function restoreAnswers(form, answers) {
  for (const [name, value] of Object.entries(answers)) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (el.type === 'checkbox') {
        if (Array.isArray(value) ? value.includes(el.value) : value === true) el.checked = true;
      } else if (el.type === 'radio') {
        if (el.value === value) el.checked = true;
      } else if (el.value === '' && typeof value === 'string') {
        el.value = value;
      }
    }
  }
}

/** Encrypt one file as a binary OpenPGP message, streaming, reporting bytes read so far. */
async function encryptFile(openpgp, key, file, onBytes) {
  let read = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        read += chunk.byteLength;
        onBytes(read);
        controller.enqueue(chunk);
      },
    }),
  );
  const encrypted = await openpgp.encrypt({
    message: await openpgp.createMessage({ binary: counted, format: 'binary' }),
    encryptionKeys: key,
    format: 'binary',
  });
  // The ciphertext is collected into a Blob: the browser may keep it on disk, and XHR needs a
  // body of known length to report upload progress.
  const chunks = [];
  const reader = encrypted.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return new Blob(chunks, { type: 'application/octet-stream' });
}

/** POST with upload progress; resolves with the finished request whatever its status. */
function upload(url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.responseType = 'document';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('network'));
    xhr.ontimeout = () => reject(new Error('network'));
    xhr.send(body);
  });
}

async function enhance(root) {
  const template = root.querySelector('template#program-key');
  const status = root.querySelector('#encryption');
  const form = template?.closest('form');
  if (!template || !status || !form) return;

  // Encrypt only to the key the page names, and only if it can encrypt (not expired or revoked);
  // otherwise leave the plain form alone.
  const expected = (template.dataset.fingerprint || '').replace(/\s+/g, '').toUpperCase();
  let openpgp;
  let key;
  try {
    openpgp = await import(template.dataset.openpgp);
    key = await openpgp.readKey({ armoredKey: template.content.textContent.trim() });
    if (!expected || key.getFingerprint().toUpperCase() !== expected) return;
    await key.getEncryptionKey();
  } catch {
    return;
  }

  const msg = status.dataset;
  const progress = status.querySelector('.encryption-progress');
  const encryptBar = status.querySelector('#encrypt-progress');
  const uploadBar = status.querySelector('#upload-progress');
  const step = status.querySelector('.encryption-step');
  const problem = status.querySelector('.encryption-error');
  const button = form.querySelector('button[type="submit"]');
  const maxFiles = Number(template.dataset.maxFiles);
  const maxFileBytes = Number(template.dataset.maxFileBytes);
  let busy = false;

  status.hidden = false;
  form.dataset.encryption = 'ready';

  const setBusy = (on) => {
    busy = on;
    if (button) button.disabled = on;
    form.setAttribute('aria-busy', String(on));
  };
  const fail = (text) => {
    progress.hidden = true;
    step.textContent = '';
    problem.textContent = text;
    setBusy(false);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const fileInputs = Array.from(form.querySelectorAll('input[type="file"]'));
    const files = fileInputs.flatMap((input) => Array.from(input.files || []));
    if (files.length > maxFiles) {
      fail(format(msg.msgTooManyFiles, { count: maxFiles }));
      return;
    }
    const tooLarge = files.find((f) => f.size > maxFileBytes);
    if (tooLarge) {
      fail(format(msg.msgFileTooLarge, { name: tooLarge.name, size: template.dataset.maxFileSize }));
      return;
    }

    setBusy(true);
    problem.textContent = '';
    progress.hidden = false;
    encryptBar.value = 0;
    uploadBar.value = 0;
    form.dataset.encryption = 'encrypting';
    step.textContent = msg.msgEncrypting;

    const answers = collectAnswers(form);
    const body = new FormData();
    try {
      const totalBytes = files.reduce((n, f) => n + f.size, 0);
      let doneBytes = 0;
      const fields = await openpgp.encrypt({
        message: await openpgp.createMessage({ binary: new TextEncoder().encode(JSON.stringify(answers)) }),
        encryptionKeys: key,
      });
      const manifest = await openpgp.encrypt({
        message: await openpgp.createMessage({
          binary: new TextEncoder().encode(
            JSON.stringify(files.map((f) => ({ name: f.name, type: f.type || 'application/octet-stream' }))),
          ),
        }),
        encryptionKeys: key,
      });
      // Order matters: the server reads the marker first and the list of names before the files.
      body.append('vigil_encrypted', FORMAT_VERSION);
      body.append('vigil_key', key.getFingerprint().toUpperCase());
      body.append('encrypted_files', manifest);
      body.append(
        'encrypted_fields',
        new Blob([fields], { type: 'application/pgp-encrypted' }),
        'fields.asc',
      );
      for (const [i, file] of files.entries()) {
        step.textContent = format(msg.msgEncryptingFile, { name: file.name, n: i + 1, total: files.length });
        const blob = await encryptFile(openpgp, key, file, (bytes) => {
          encryptBar.value = totalBytes > 0 ? ((doneBytes + bytes) / totalBytes) * 100 : 100;
        });
        doneBytes += file.size;
        // A placeholder name: the real one travels encrypted in `encrypted_files`.
        body.append('encrypted_file', blob, `file-${i + 1}.pgp`);
      }
      encryptBar.value = 100;
    } catch (err) {
      fail(format(msg.msgFailed, { error: err instanceof Error ? err.message : String(err) }));
      return;
    }

    form.dataset.encryption = 'uploading';
    step.textContent = msg.msgUploading;
    const url = new URL(form.getAttribute('action') || location.href, location.href);
    url.searchParams.set('encrypted', '1');
    let xhr;
    try {
      xhr = await upload(url.href, body, (share) => {
        uploadBar.value = share * 100;
      });
    } catch {
      fail(msg.msgNetwork);
      return;
    }

    // Accepted: the server answered 303 to the receipt, which the request followed.
    const landed = xhr.responseURL ? new URL(xhr.responseURL) : undefined;
    if (xhr.status >= 200 && xhr.status < 300 && landed?.pathname.startsWith('/r/')) {
      uploadBar.value = 100;
      location.assign(landed.href);
      return;
    }

    // Refused: show the page the server rendered (the form with its problems, filled in from the
    // decrypted answers) in place of this one, keeping the chosen files and anything it lacks.
    const doc = xhr.response;
    const next = doc?.querySelector('main');
    const current = document.querySelector('main');
    if (!next || !current) {
      fail(msg.msgNetwork);
      return;
    }
    current.replaceWith(next);
    if (doc.title) document.title = doc.title;
    const nextForm = next.querySelector('form');
    if (nextForm) {
      restoreAnswers(nextForm, answers);
      const nextInputs = nextForm.querySelectorAll('input[type="file"]');
      fileInputs.forEach((input, i) => {
        if (nextInputs[i] && input.files?.length) nextInputs[i].files = input.files;
      });
    }
    const focus = next.querySelector('#errors') || next.querySelector('h1');
    if (focus) {
      if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1');
      focus.focus();
    }
    await enhance(next);
  });
}

enhance(document);
