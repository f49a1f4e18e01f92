// The respondent's page (GET /r/<token>): renders the questionnaire of the link token in the
// path and saves every change through the GraphQL API with that token. Plain browser
// JavaScript, no build step and nothing from another host.
'use strict';

(function () {
  const TOKEN = decodeURIComponent(location.pathname.replace(/^.*\/r\//, '').replace(/\/.*$/, ''));
  const SAVE_DELAY_MS = 400; // a click is saved within this
  const TEXT_DELAY_MS = 700; // typing: after this pause (still under the 1 s promise)
  const MAX_BACKOFF_MS = 15000;
  const SEQ_KEY = 'rp.seq';
  const LANG_KEY = 'rp.lang';

  const STRINGS = {
    en: {
      skip: 'Skip to the questions',
      loading: 'Loading…',
      loadFailed: 'The questionnaire could not be loaded. Check your connection; the page tries again.',
      respondent: 'Respondent',
      due: 'Please answer by',
      progress: (a, r) => `${a} of ${r} required questions answered`,
      required: 'required',
      optional: 'optional',
      notApplicable: 'Not applicable',
      yes: 'Yes',
      no: 'No',
      clear: 'Clear answer',
      numericHint: (min, max, unit) => `A number from ${min} to ${max}${unit ? ` (${unit})` : ''}.`,
      numericInvalid: (min, max) => `Enter a number from ${min} to ${max}. This value is not saved.`,
      textHint: (n) => `Up to ${n} characters.`,
      chooseAlone: 'chosen alone',
      saved: 'All answers saved',
      saving: 'Saving…',
      notSaved: 'Not saved yet — retrying',
      offline: 'Not saved yet — you are offline; the answers are kept and saved when the connection is back',
      saveRefused: (m) => `An answer was not accepted: ${m}`,
      submit: 'Submit answers',
      submitting: 'Submitting…',
      submitHelp: 'After submitting, the answers can no longer be changed.',
      missingTitle: (n) => (n === 1 ? '1 required question has no answer:' : `${n} required questions have no answer:`),
      submitted: (d) => `Thank you. Your answers were submitted${d ? ` on ${d}` : ''} and can no longer be changed.`,
      closed: 'This assessment is closed: the answers can no longer be changed.',
      cancelled: 'This assessment was cancelled: the answers can no longer be changed.',
      draft: 'This assessment is not open yet: the answers can be given once it opens.',
      submitFailed: 'The answers could not be submitted. Check your connection and try again.',
      language: 'Language',
      scale: (min, max) => `Scale from ${min} to ${max}`,
      question: 'Question',
      staleTab: 'An answer given later in another tab or window was kept.',
    },
    ru: {
      skip: 'Перейти к вопросам',
      loading: 'Загрузка…',
      loadFailed: 'Не удалось загрузить анкету. Проверьте подключение; страница попробует снова.',
      respondent: 'Участник',
      due: 'Ответьте, пожалуйста, до',
      progress: (a, r) => `Отвечено обязательных вопросов: ${a} из ${r}`,
      required: 'обязательный',
      optional: 'необязательный',
      notApplicable: 'Неприменимо',
      yes: 'Да',
      no: 'Нет',
      clear: 'Очистить ответ',
      numericHint: (min, max, unit) => `Число от ${min} до ${max}${unit ? ` (${unit})` : ''}.`,
      numericInvalid: (min, max) => `Введите число от ${min} до ${max}. Это значение не сохранено.`,
      textHint: (n) => `До ${n} символов.`,
      chooseAlone: 'выбирается отдельно',
      saved: 'Все ответы сохранены',
      saving: 'Сохранение…',
      notSaved: 'Ещё не сохранено — повторяем попытку',
      offline: 'Ещё не сохранено — нет подключения; ответы сохранятся, когда связь вернётся',
      saveRefused: (m) => `Ответ не принят: ${m}`,
      submit: 'Отправить ответы',
      submitting: 'Отправка…',
      submitHelp: 'После отправки ответы изменить нельзя.',
      missingTitle: (n) => `Нет ответа на обязательные вопросы (${n}):`,
      submitted: (d) => `Спасибо! Ваши ответы отправлены${d ? ` ${d}` : ''}; изменить их больше нельзя.`,
      closed: 'Оценка закрыта: ответы больше нельзя изменить.',
      cancelled: 'Оценка отменена: ответы больше нельзя изменить.',
      draft: 'Оценка ещё не открыта: ответить можно будет после её открытия.',
      submitFailed: 'Не удалось отправить ответы. Проверьте подключение и попробуйте снова.',
      language: 'Язык',
      scale: (min, max) => `Шкала от ${min} до ${max}`,
      question: 'Вопрос',
      staleTab: 'Сохранён ответ, данный позже в другой вкладке или окне.',
    },
  };

  const MAX_TEXT = 5000;

  const QUERY = `query RespondentPage($locale: Locale) {
    questionnaire(locale: $locale) {
      locale assessmentTitle organisationName frameworkName respondentName respondentRole
      status assessmentStatus editable dueAt submittedAt tokenExpiresAt maxClientSeq
      questions { code type section text help required allowNotApplicable
        showIf { question anyOf } scale { min max minLabel maxLabel }
        options { code label exclusive } numeric { min max unit } }
      answers { question value notApplicable clientSeq }
    }
  }`;
  const SAVE = `mutation RespondentPageSave($input: SaveAnswersInput!) {
    saveAnswers(input: $input) { status results { index question outcome } }
  }`;
  const SUBMIT = `mutation RespondentPageSubmit { submitResponse { status submittedAt } }`;

  /** @type {'ru'|'en'} */
  let lang = pickLanguage();
  let data = null; // the questionnaire as last read
  const answers = new Map(); // code -> { value, notApplicable } as shown
  const pending = new Map(); // code -> { answer, seq } not yet confirmed by the server
  const views = new Map(); // code -> { root, inputs, error, question }
  let inFlight = false;
  let flushTimer = null;
  let failures = 0;
  let editable = false;
  let saveProblem = null;
  let lastSeq = 0;

  const t = (key, ...args) => {
    const v = STRINGS[lang][key];
    return typeof v === 'function' ? v(...args) : v;
  };

  function pickLanguage() {
    try {
      const stored = localStorage.getItem(LANG_KEY);
      if (stored === 'ru' || stored === 'en') return stored;
    } catch (_) {
      // Storage may be blocked in a third-party frame.
    }
    const langs =
      navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (const l of langs) {
      const p = String(l).toLowerCase();
      if (p.startsWith('ru')) return 'ru';
      if (p.startsWith('en')) return 'en';
    }
    return 'en';
  }

  // clientSeq: above everything this browser or the server has seen, and at least the clock,
  // so that the later edit of two tabs or devices carries the higher number.
  function storedSeq() {
    try {
      return Number(localStorage.getItem(SEQ_KEY)) || 0;
    } catch (_) {
      return 0;
    }
  }
  function nextSeq() {
    const seq = Math.max(Date.now(), lastSeq + 1, storedSeq() + 1);
    lastSeq = seq;
    try {
      localStorage.setItem(SEQ_KEY, String(seq));
    } catch (_) {
      // Without storage the clock still orders the tabs.
    }
    return seq;
  }

  class ApiError extends Error {
    constructor(code, message, extensions) {
      super(message);
      this.code = code;
      this.extensions = extensions || {};
    }
  }

  async function gql(query, variables, options) {
    let res;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ query, variables }),
        credentials: 'omit',
        cache: 'no-store',
        keepalive: Boolean(options && options.keepalive),
      });
    } catch (err) {
      throw new ApiError('NETWORK', String(err && err.message));
    }
    let body;
    try {
      body = await res.json();
    } catch (_) {
      throw new ApiError('NETWORK', `HTTP ${res.status}`);
    }
    if (body.errors && body.errors.length) {
      const e = body.errors[0];
      throw new ApiError((e.extensions && e.extensions.code) || 'INTERNAL', e.message, e.extensions);
    }
    if (!res.ok) throw new ApiError('NETWORK', `HTTP ${res.status}`);
    return body.data;
  }

  // An unauthenticated answer means the link was revoked or expired since the page opened:
  // the server's page says which (once, so a disagreement cannot loop).
  function linkStopped() {
    try {
      if (sessionStorage.getItem('rp.reloaded') === TOKEN) return;
      sessionStorage.setItem('rp.reloaded', TOKEN);
    } catch (_) {
      return;
    }
    location.reload();
  }

  // ---------- DOM helpers ----------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children || []) if (c) node.append(c);
    return node;
  }

  function applyBrand() {
    const root = document.documentElement;
    const brand = root.getAttribute('data-brand');
    const text = root.getAttribute('data-brand-text');
    // CSSOM, not a style attribute: the Content-Security-Policy allows no inline style.
    if (brand && text) {
      root.style.setProperty('--brand', brand);
      root.style.setProperty('--on-brand', text);
    }
  }

  // ---------- answers and visibility (as the scoring engine reads them) ----------
  function hasValue(a) {
    return (
      a &&
      a.value !== null &&
      a.value !== undefined &&
      !(Array.isArray(a.value) && a.value.length === 0) &&
      a.value !== ''
    );
  }
  function isAnswered(a) {
    return Boolean(a && (a.notApplicable || hasValue(a)));
  }
  function visibleSet() {
    const visible = new Set();
    for (const q of data.questions) {
      if (q.showIf) {
        const parent = q.showIf.question;
        const a = answers.get(parent);
        if (!visible.has(parent) || !a || a.notApplicable || !hasValue(a)) continue;
        const values = Array.isArray(a.value) ? a.value : [a.value];
        if (!values.some((v) => q.showIf.anyOf.includes(v))) continue;
      }
      visible.add(q.code);
    }
    return visible;
  }

  // ---------- rendering ----------
  const main = () => document.getElementById('main');

  function formatDate(iso) {
    if (!iso) return '';
    try {
      return new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'long' }).format(new Date(iso));
    } catch (_) {
      return iso.slice(0, 10);
    }
  }

  function readOnlyMessage() {
    if (data.status === 'SUBMITTED') return t('submitted', formatDate(data.submittedAt));
    if (data.assessmentStatus === 'CLOSED') return t('closed');
    if (data.assessmentStatus === 'CANCELLED') return t('cancelled');
    if (data.assessmentStatus === 'DRAFT') return t('draft');
    return null;
  }

  function languageSwitch() {
    const nav = el('nav', { class: 'lang-switch', 'aria-label': t('language') });
    for (const [code, label] of [
      ['ru', 'Русский'],
      ['en', 'English'],
    ]) {
      nav.append(
        el('button', {
          type: 'button',
          id: `lang-${code}`,
          lang: code,
          class: 'lang-button',
          'aria-pressed': String(code === lang),
          text: label,
          onclick: () => switchLanguage(code),
        }),
      );
    }
    return nav;
  }

  function render() {
    document.documentElement.lang = lang;
    document.title = `${data.assessmentTitle} — ${data.organisationName}`;
    const skip = document.getElementById('skip-link');
    if (skip) skip.textContent = t('skip');
    editable = data.editable;
    views.clear();
    const root = main();
    root.replaceChildren();

    const header = el('div', { class: 'intro' }, [
      languageSwitch(),
      el('h1', { text: data.assessmentTitle }),
      el('p', { class: 'meta', text: `${data.organisationName} · ${data.frameworkName}` }),
      el('p', { class: 'meta', text: `${t('respondent')}: ${data.respondentName}` }),
      data.dueAt && editable ? el('p', { class: 'meta', text: `${t('due')} ${formatDate(data.dueAt)}` }) : null,
    ]);
    root.append(header);

    const message = readOnlyMessage();
    if (message) root.append(el('p', { class: 'notice', role: 'status', id: 'read-only', text: message }));

    const status = el('div', { class: 'status-bar' }, [
      el('div', { class: 'progress-wrap' }, [
        el('p', { id: 'progress-text', class: 'progress-text' }),
        el('div', { class: 'progress', 'aria-hidden': 'true' }, [
          el('div', { class: 'progress-fill', id: 'progress-fill' }),
        ]),
      ]),
      editable ? el('p', { id: 'save-status', class: 'save-status', role: 'status', 'aria-live': 'polite' }) : null,
    ]);
    root.append(status);

    let section = null;
    let sectionTitle = undefined;
    let number = 0;
    for (const q of data.questions) {
      if (q.section !== sectionTitle || !section) {
        sectionTitle = q.section;
        section = el('section', { class: 'section', 'aria-labelledby': `s-${q.code}` }, [
          el('h2', { id: `s-${q.code}`, text: q.section || data.frameworkName }),
        ]);
        root.append(section);
      }
      number += 1;
      section.append(renderQuestion(q, number));
    }

    if (editable) {
      root.append(
        el('div', { class: 'submit-area' }, [
          el('div', { id: 'missing', class: 'missing', tabindex: '-1', hidden: true }),
          el('p', { class: 'hint', id: 'submit-help', text: t('submitHelp') }),
          el('button', {
            type: 'button',
            id: 'submit',
            class: 'primary',
            'aria-describedby': 'submit-help',
            text: t('submit'),
            onclick: submit,
          }),
          el('p', { id: 'submit-error', class: 'field-error', role: 'alert' }),
        ]),
      );
    }
    refresh();
  }

  function questionHead(q, number, labelFor) {
    const textId = `t-${q.code}`;
    const badge = el('span', {
      class: q.required ? 'badge required' : 'badge',
      text: q.required ? t('required') : t('optional'),
    });
    const content = [
      el('span', { class: 'q-number', text: `${number}. ` }),
      el('span', { id: textId, text: q.text }),
      ' ',
      badge,
    ];
    return labelFor
      ? el('label', { class: 'q-text', for: labelFor }, content)
      : el('legend', { class: 'q-text' }, content);
  }

  function renderQuestion(q, number) {
    const code = q.code;
    const helpId = q.help ? `h-${code}` : null;
    const errorId = `e-${code}`;
    const describedBy = [helpId, errorId].filter(Boolean).join(' ');
    const disabled = !editable;
    const view = { question: q, inputs: [], naInput: null };
    const a = answers.get(code) || null;
    const value = a && !a.notApplicable ? a.value : null;
    let body;
    const help = q.help ? el('p', { class: 'help', id: helpId, text: q.help }) : null;
    const error = el('p', { class: 'field-error', id: errorId });
    view.error = error;

    const radio = (label, v, extra) => {
      const id = `${code}-${String(v)}`.replace(/[^A-Za-z0-9_-]/g, '_');
      const input = el('input', { type: 'radio', name: code, id, value: String(v), disabled, checked: value === v });
      input.addEventListener('change', () => input.checked && setAnswer(code, { value: v, notApplicable: false }));
      view.inputs.push(input);
      return el('div', { class: `choice${extra ? ` ${extra}` : ''}` }, [input, el('label', { for: id, text: label })]);
    };

    if (q.type === 'LIKERT') {
      const scale = q.scale || { min: 1, max: 5, minLabel: null, maxLabel: null };
      const items = [];
      for (let v = scale.min; v <= scale.max; v++) {
        let label = String(v);
        if (v === scale.min && scale.minLabel) label = `${v} — ${scale.minLabel}`;
        if (v === scale.max && scale.maxLabel) label = `${v} — ${scale.maxLabel}`;
        const item = radio(String(v), v, 'scale-point');
        // The number is shown; the end labels are read with it.
        if (label !== String(v)) item.querySelector('input').setAttribute('aria-label', label);
        items.push(item);
      }
      const ends =
        scale.minLabel || scale.maxLabel
          ? el('div', { class: 'scale-ends', 'aria-hidden': 'true' }, [
              el('span', { text: scale.minLabel || '' }),
              el('span', { text: scale.maxLabel || '' }),
            ])
          : null;
      body = [el('div', { class: 'scale', role: 'presentation' }, items), ends];
    } else if (q.type === 'BOOLEAN') {
      body = [el('div', { class: 'choices inline' }, [radio(t('yes'), true), radio(t('no'), false)])];
    } else if (q.type === 'SINGLE_CHOICE') {
      body = [
        el(
          'div',
          { class: 'choices' },
          (q.options || []).map((o) => radio(o.label, o.code)),
        ),
      ];
    } else if (q.type === 'MULTI_CHOICE') {
      const chosen = Array.isArray(value) ? value : [];
      const boxes = (q.options || []).map((o) => {
        const id = `${code}-${o.code}`.replace(/[^A-Za-z0-9_-]/g, '_');
        const input = el('input', { type: 'checkbox', id, value: o.code, disabled, checked: chosen.includes(o.code) });
        input.dataset.exclusive = String(o.exclusive);
        input.addEventListener('change', () => {
          if (input.checked) {
            for (const other of view.inputs) {
              if (other !== input && (o.exclusive || other.dataset.exclusive === 'true')) other.checked = false;
            }
          }
          const selected = view.inputs.filter((i) => i.checked).map((i) => i.value);
          setAnswer(code, { value: selected.length ? selected : null, notApplicable: false });
        });
        view.inputs.push(input);
        const label = el('label', { for: id }, [
          o.label,
          o.exclusive ? el('span', { class: 'hint-inline', text: ` (${t('chooseAlone')})` }) : null,
        ]);
        return el('div', { class: `choice${o.exclusive ? ' exclusive' : ''}` }, [input, label]);
      });
      body = [el('div', { class: 'choices' }, boxes)];
    } else if (q.type === 'NUMERIC') {
      const n = q.numeric || { min: 0, max: 0, unit: null };
      const hintId = `n-${code}`;
      const input = el('input', {
        type: 'text',
        inputmode: 'decimal',
        id: `i-${code}`,
        class: 'number-input',
        disabled,
        autocomplete: 'off',
        'aria-describedby': `${hintId} ${describedBy}`,
      });
      input.value = typeof value === 'number' ? String(value) : '';
      const onInput = () => {
        const raw = input.value.trim().replace(',', '.');
        if (raw === '') {
          error.textContent = '';
          input.removeAttribute('aria-invalid');
          return setAnswer(code, { value: null, notApplicable: false }, TEXT_DELAY_MS);
        }
        const num = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isFinite(num) || num < n.min || num > n.max) {
          error.textContent = t('numericInvalid', n.min, n.max);
          input.setAttribute('aria-invalid', 'true');
          return;
        }
        error.textContent = '';
        input.removeAttribute('aria-invalid');
        setAnswer(code, { value: num, notApplicable: false }, TEXT_DELAY_MS);
      };
      input.addEventListener('input', onInput);
      view.inputs.push(input);
      body = [
        el('div', { class: 'number-row' }, [input, n.unit ? el('span', { class: 'unit', text: n.unit }) : null]),
        el('p', { class: 'hint', id: hintId, text: t('numericHint', n.min, n.max, n.unit) }),
      ];
    } else {
      const hintId = `x-${code}`;
      const input = el('textarea', {
        id: `i-${code}`,
        rows: '4',
        maxlength: String(MAX_TEXT),
        disabled,
        'aria-describedby': `${hintId} ${describedBy}`,
      });
      input.value = typeof value === 'string' ? value : '';
      input.addEventListener('input', () =>
        setAnswer(code, { value: input.value.trim() === '' ? null : input.value, notApplicable: false }, TEXT_DELAY_MS),
      );
      view.inputs.push(input);
      body = [input, el('p', { class: 'hint', id: hintId, text: t('textHint', MAX_TEXT) })];
    }

    const extras = [];
    if (q.allowNotApplicable) {
      const id = `na-${code}`;
      const na = el('input', { type: 'checkbox', id, disabled, checked: Boolean(a && a.notApplicable) });
      na.addEventListener('change', () => {
        for (const i of view.inputs) {
          if (na.checked) {
            if (i.type === 'radio' || i.type === 'checkbox') i.checked = false;
            else i.value = '';
          }
        }
        setAnswer(code, { value: null, notApplicable: na.checked });
      });
      view.naInput = na;
      extras.push(el('div', { class: 'choice na' }, [na, el('label', { for: id, text: t('notApplicable') })]));
    }
    if ((q.type === 'LIKERT' || q.type === 'BOOLEAN' || q.type === 'SINGLE_CHOICE') && !q.required && editable) {
      const clear = el('button', { type: 'button', class: 'link-button', text: t('clear') });
      clear.addEventListener('click', () => {
        for (const i of view.inputs) i.checked = false;
        setAnswer(code, { value: null, notApplicable: false });
      });
      view.clear = clear;
      extras.push(clear);
    }

    let root;
    if (q.type === 'NUMERIC' || q.type === 'TEXT') {
      root = el('div', { class: 'question', id: `q-${code}`, 'data-code': code, 'data-type': q.type }, [
        questionHead(q, number, `i-${code}`),
        help,
        ...body,
        ...extras,
        error,
      ]);
    } else {
      root = el(
        'fieldset',
        {
          class: 'question',
          id: `q-${code}`,
          'data-code': code,
          'data-type': q.type,
          'aria-describedby': describedBy || null,
        },
        [questionHead(q, number, null), help, ...body, ...extras, error],
      );
    }
    view.root = root;
    views.set(code, view);
    return root;
  }

  /** Visibility, progress, N/A state and the save status, after any change. */
  function refresh() {
    const visible = visibleSet();
    let required = 0;
    let requiredAnswered = 0;
    for (const q of data.questions) {
      const view = views.get(q.code);
      const shown = visible.has(q.code);
      view.root.hidden = !shown;
      const a = answers.get(q.code);
      if (view.naInput) {
        for (const i of view.inputs) i.disabled = !editable || view.naInput.checked;
      }
      if (view.clear) view.clear.hidden = !hasValue(a);
      if (shown && q.required) {
        required += 1;
        if (isAnswered(a)) requiredAnswered += 1;
      }
    }
    const text = document.getElementById('progress-text');
    if (text) text.textContent = t('progress', requiredAnswered, required);
    const fill = document.getElementById('progress-fill');
    // CSSOM again (no inline style attribute under the policy).
    if (fill) fill.style.width = `${required ? Math.round((requiredAnswered / required) * 100) : 100}%`;
    showSaveStatus();
    return visible;
  }

  function showSaveStatus() {
    const node = document.getElementById('save-status');
    if (!node) return;
    let text;
    let state;
    if (saveProblem) {
      text = t('saveRefused', saveProblem);
      state = 'error';
    } else if (pending.size === 0 && !inFlight) {
      text = t('saved');
      state = 'saved';
    } else if (failures > 0) {
      text = navigator.onLine === false ? t('offline') : t('notSaved');
      state = 'unsaved';
    } else {
      text = t('saving');
      state = 'saving';
    }
    if (node.textContent !== text) node.textContent = text;
    node.dataset.state = state;
  }

  // ---------- saving ----------
  function setAnswer(code, answer, delay) {
    if (!editable) return;
    answers.set(code, answer);
    pending.set(code, { answer, seq: nextSeq() });
    const view = views.get(code);
    // A NUMERIC value out of range never gets here, so any message shown is now out of date.
    if (view) view.error.textContent = '';
    saveProblem = null;
    refresh();
    const missing = document.getElementById('missing');
    if (missing && !missing.hidden) updateMissing(false);
    scheduleFlush(delay === undefined ? SAVE_DELAY_MS : delay);
  }

  function scheduleFlush(delay) {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = setTimeout(() => {
      flushTimer = null;
      void flush();
    }, delay);
  }

  function backoff() {
    return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 4));
  }

  /** Sends every pending answer in one call; retries with backoff while it fails. */
  async function flush() {
    if (inFlight || pending.size === 0 || !editable) return;
    inFlight = true;
    showSaveStatus();
    const batch = [...pending.entries()].slice(0, 200);
    const input = {
      answers: batch.map(([code, p]) => ({
        question: code,
        value: p.answer.notApplicable ? null : p.answer.value,
        notApplicable: p.answer.notApplicable ? true : null,
        clientSeq: p.seq,
      })),
    };
    let stale = [];
    try {
      const result = await gql(SAVE, { input });
      failures = 0;
      for (const [code, p] of batch) if (pending.get(code) === p) pending.delete(code);
      stale = result.saveAnswers.results.filter((r) => r.outcome === 'STALE').map((r) => r.question);
    } catch (err) {
      if (err.code === 'UNAUTHENTICATED') {
        inFlight = false;
        return linkStopped();
      }
      if (err.code === 'CONFLICT') {
        // Submitted in another tab, or the assessment closed: show it read-only.
        inFlight = false;
        pending.clear();
        return load();
      }
      if (err.code === 'BAD_USER_INPUT') {
        // Not worth retrying: drop what was refused, keep the rest.
        const problems = (err.extensions && err.extensions.problems) || [];
        const refused = new Set();
        for (const p of problems) {
          const m = /answers\[(\d+)\]/.exec(p.path || '');
          if (m && batch[Number(m[1])]) refused.add(batch[Number(m[1])][0]);
        }
        if (refused.size === 0) for (const [code] of batch) refused.add(code);
        for (const code of refused) {
          pending.delete(code);
          const view = views.get(code);
          if (view) view.error.textContent = err.message;
        }
        saveProblem = err.message;
      } else {
        failures += 1;
      }
    }
    inFlight = false;
    showSaveStatus();
    if (stale.length > 0) await adoptServerAnswers(stale);
    if (pending.size > 0) scheduleFlush(failures > 0 ? backoff() : SAVE_DELAY_MS);
  }

  /** A later answer from another tab won: show the stored answers of these questions. */
  async function adoptServerAnswers(codes) {
    try {
      const fresh = (await gql(QUERY, { locale: lang.toUpperCase() })).questionnaire;
      const stored = new Map(fresh.answers.map((a) => [a.question, a]));
      for (const code of codes) {
        if (pending.has(code)) continue;
        const a = stored.get(code);
        if (a) answers.set(code, { value: a.value, notApplicable: a.notApplicable });
        else answers.delete(code);
        updateInputs(code);
        const view = views.get(code);
        if (view) view.error.textContent = t('staleTab');
      }
      if (typeof fresh.maxClientSeq === 'number') lastSeq = Math.max(lastSeq, fresh.maxClientSeq);
      refresh();
    } catch (_) {
      // The next load shows them.
    }
  }

  function updateInputs(code) {
    const view = views.get(code);
    if (!view) return;
    const a = answers.get(code);
    const value = a && !a.notApplicable ? a.value : null;
    if (view.naInput) view.naInput.checked = Boolean(a && a.notApplicable);
    for (const i of view.inputs) {
      if (i.type === 'radio') i.checked = value !== null && String(value) === i.value;
      else if (i.type === 'checkbox') i.checked = Array.isArray(value) && value.includes(i.value);
      else i.value = value === null || value === undefined ? '' : String(value);
    }
  }

  // ---------- submitting ----------
  function missingRequired() {
    const visible = visibleSet();
    return data.questions
      .filter((q) => q.required && visible.has(q.code) && !isAnswered(answers.get(q.code)))
      .map((q) => q.code);
  }

  function focusQuestion(code) {
    const view = views.get(code);
    if (!view) return;
    view.root.scrollIntoView({ block: 'center' });
    const target = view.inputs.find((i) => i.checked) || view.inputs[0];
    if (target) target.focus();
  }

  function updateMissing(focus, codes) {
    const box = document.getElementById('missing');
    const list = codes || missingRequired();
    if (list.length === 0) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const numbers = new Map(data.questions.map((q, i) => [q.code, i + 1]));
    box.replaceChildren(
      el('p', { class: 'missing-title', id: 'missing-title', text: t('missingTitle', list.length) }),
      el(
        'ul',
        { 'aria-labelledby': 'missing-title' },
        list.map((code) => {
          const q = data.questions.find((x) => x.code === code);
          const text = q ? q.text : code;
          const link = el('a', {
            href: `#q-${code}`,
            text: `${numbers.get(code)}. ${text.length > 90 ? `${text.slice(0, 88)}…` : text}`,
          });
          link.addEventListener('click', (event) => {
            event.preventDefault();
            focusQuestion(code);
          });
          return el('li', null, [link]);
        }),
      ),
    );
    box.hidden = false;
    if (focus) box.focus();
  }

  async function waitForSaves() {
    for (let i = 0; i < 100 && (pending.size > 0 || inFlight); i++) {
      if (!inFlight && pending.size > 0) {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = null;
        await flush();
        if (failures > 0) return false;
      } else {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return pending.size === 0;
  }

  async function submit() {
    const button = document.getElementById('submit');
    const errorNode = document.getElementById('submit-error');
    errorNode.textContent = '';
    const missing = missingRequired();
    if (missing.length > 0) {
      updateMissing(true, missing);
      return;
    }
    updateMissing(false, []);
    button.disabled = true;
    button.textContent = t('submitting');
    try {
      if (!(await waitForSaves())) throw new ApiError('NETWORK', 'save');
      await gql(SUBMIT, {});
      await load();
      const notice = document.getElementById('read-only');
      if (notice) {
        notice.setAttribute('tabindex', '-1');
        notice.focus();
      }
    } catch (err) {
      button.disabled = false;
      button.textContent = t('submit');
      if (err.code === 'UNAUTHENTICATED') return linkStopped();
      if (err.code === 'BAD_USER_INPUT' && err.extensions.missingQuestions)
        return updateMissing(true, err.extensions.missingQuestions);
      if (err.code === 'CONFLICT') return load();
      errorNode.textContent = t('submitFailed');
    }
  }

  // ---------- loading ----------
  async function load() {
    let fresh;
    try {
      fresh = (await gql(QUERY, { locale: lang.toUpperCase() })).questionnaire;
    } catch (err) {
      if (err.code === 'UNAUTHENTICATED') return linkStopped();
      const root = main();
      if (!data) {
        root.replaceChildren(el('p', { class: 'notice', role: 'alert', text: t('loadFailed') }));
        setTimeout(load, 3000);
      }
      return;
    }
    try {
      sessionStorage.removeItem('rp.reloaded');
    } catch (_) {
      // nothing to forget
    }
    data = fresh;
    if (typeof data.maxClientSeq === 'number') lastSeq = Math.max(lastSeq, data.maxClientSeq);
    // Stored answers, with this tab's unsaved edits on top.
    const stored = new Map(data.answers.map((a) => [a.question, { value: a.value, notApplicable: a.notApplicable }]));
    answers.clear();
    for (const [code, a] of stored) answers.set(code, a);
    for (const [code, p] of pending) answers.set(code, p.answer);
    const focusedId = document.activeElement && document.activeElement.id;
    render();
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again) again.focus();
    }
    if (pending.size > 0) scheduleFlush(SAVE_DELAY_MS);
  }

  function switchLanguage(code) {
    if (code === lang) return;
    lang = code;
    try {
      localStorage.setItem(LANG_KEY, code);
    } catch (_) {
      // The switch still works for this visit.
    }
    void load();
  }

  // ---------- page life ----------
  window.addEventListener('online', () => {
    if (pending.size > 0) scheduleFlush(0);
  });
  window.addEventListener('offline', showSaveStatus);
  window.addEventListener('beforeunload', (event) => {
    if (pending.size > 0 || inFlight) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
  // Leaving the page: one last attempt that outlives it.
  window.addEventListener('pagehide', () => {
    if (pending.size === 0 || !editable) return;
    const input = {
      answers: [...pending.entries()].slice(0, 200).map(([code, p]) => ({
        question: code,
        value: p.answer.notApplicable ? null : p.answer.value,
        notApplicable: p.answer.notApplicable ? true : null,
        clientSeq: p.seq,
      })),
    };
    void gql(SAVE, { input }, { keepalive: true }).catch(() => undefined);
  });

  function start() {
    applyBrand();
    document.documentElement.lang = lang;
    const loading = document.getElementById('loading');
    if (loading) loading.textContent = t('loading');
    void load();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
