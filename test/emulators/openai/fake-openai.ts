import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible chat completions server for tests and the benchmark. It answers
 * POST <base>/chat/completions (the path the openai SDK uses under any baseURL, e.g.
 * http://127.0.0.1:PORT/v1/chat/completions), records every request, and plays scripted replies
 * per stage of the enrichment; without a script it answers validly, like a good model would.
 */

export type FakeStage = 'facts' | 'description' | 'seo';

export type FakeReply =
  /** A chat completion whose message content is this text. */
  | { kind: 'text'; content: string; delayMs?: number }
  /** An HTTP error, e.g. 500, or 429 with {'retry-after': '1'}. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Accepts the request and never answers (the client's timeout must fire). */
  | { kind: 'hang' }
  /** The valid default answer, optionally late. */
  | { kind: 'auto'; delayMs?: number };

export interface RecordedRequest {
  stage: FakeStage;
  path: string;
  at: number;
  headers: IncomingMessage['headers'];
  body: { model: string; messages: Array<{ role: string; content: string }>; response_format?: unknown; [key: string]: unknown };
  /** The system and user messages joined, for assertions on prompts. */
  prompt: string;
  /** The record data block the prompt carried, parsed. */
  data: Record<string, unknown> | null;
}

/** Which stage a request is: the SEO prompt names seo_title, the facts prompt asks for JSON. */
export function classifyStage(messages: Array<{ role: string; content: string }>): FakeStage {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  if (system.includes('seo_title')) return 'seo';
  if (system.includes('JSON')) return 'facts';
  return 'description';
}

function dataBlock(prompt: string): Record<string, unknown> | null {
  const match = /<<<RECORD_DATA\n([\s\S]*?)\nRECORD_DATA>>>/.exec(prompt);
  if (!match) return null;
  try {
    return JSON.parse(match[1]!) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const sentences = [
  'Эта пластинка давно стала предметом охоты для внимательных собирателей винила.',
  'В её звучании слышна эпоха, когда музыку записывали вживую и без лишней спешки.',
  'Каждая сторона диска выстроена как законченный рассказ с началом, кульминацией и развязкой.',
  'Аналоговый звук передаёт тембры инструментов с теплотой, которой часто не хватает цифровым версиям.',
  'Коллекционеры ценят такие издания за честность звучания и за красоту большого конверта.',
  'Слушать этот альбом лучше всего вечером, в тишине, переворачивая пластинку без суеты.',
  'Такой экземпляр украсит полку и любителя со стажем, и того, кто только начинает собирать винил.',
];

/** A valid Russian description of about 350 words mentioning the record. */
export function fakeDescription(data: Record<string, unknown> | null, words = 350): string {
  const title = String(data?.title ?? 'альбом');
  const parts = [`Альбом «${title}» заслуживает внимательного слушания.`];
  let count = 5;
  for (let i = 0; count < words; i++) {
    const sentence = sentences[i % sentences.length]!;
    parts.push(sentence);
    count += sentence.split(/\s+/).length;
    if (i % 4 === 3) parts.push('\n\n');
  }
  return parts.join(' ').replace(/ \n\n /g, '\n\n');
}

export function fakeSeo(data: Record<string, unknown> | null) {
  const artist = String(data?.artist ?? 'Исполнитель');
  const title = String(data?.title ?? 'Альбом');
  const seoTitle = `Купить винил ${artist} - ${title} | Виниловые пластинки и редкие издания`.slice(0, 56).trimEnd() + ' LP';
  const seoDescription = `Виниловая пластинка ${artist} — редкий и желанный экземпляр для коллекции. Тёплое звучание, бережное хранение и честное описание. Закажите сейчас у нас!`
    .repeat(2)
    .slice(0, 155)
    .trimEnd();
  return {
    seo_title: seoTitle,
    seo_description: seoDescription,
    seo_keywords: `${artist}, ${title}, винил, виниловая пластинка, купить винил, коллекционный винил`,
  };
}

function autoContent(stage: FakeStage, data: Record<string, unknown> | null): string {
  if (stage === 'facts') return JSON.stringify({ label: 'Fake Records', country: 'Великобритания' });
  if (stage === 'seo') return JSON.stringify(fakeSeo(data));
  return fakeDescription(data);
}

export async function startFakeOpenAi(options: { delayMs?: number } = {}) {
  const requests: RecordedRequest[] = [];
  const scripts: Record<FakeStage, FakeReply[]> = { facts: [], description: [], seo: [] };
  let defaultDelayMs = options.delayMs ?? 0;
  const load = { active: 0, max: 0 };

  const sendCompletion = (res: ServerResponse, model: string, content: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      let body: RecordedRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      const stage = classifyStage(body.messages);
      const prompt = body.messages.map((m) => m.content).join('\n');
      const data = dataBlock(prompt);
      requests.push({ stage, path: req.url, at: Date.now(), headers: req.headers, body, prompt, data });
      load.active += 1;
      load.max = Math.max(load.max, load.active);
      res.once('close', () => (load.active -= 1));
      const reply = scripts[stage].shift() ?? { kind: 'auto' };
      const respond = () => {
        if (reply.kind === 'hang') return;
        if (reply.kind === 'status') {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, type: 'server_error' } }));
          return;
        }
        sendCompletion(res, body.model, reply.kind === 'text' ? reply.content : autoContent(stage, data));
      };
      const delay = reply.kind === 'text' || reply.kind === 'auto' ? (reply.delayMs ?? defaultDelayMs) : 0;
      if (delay > 0) setTimeout(respond, delay);
      else respond();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** Base URL without /v1: give `${url}/v1` as the provider's base URL. */
    url,
    requests,
    /** Requests in progress now and at most at once. */
    load,
    /** Queues replies for the next requests of a stage; after them the stage answers validly. */
    script(stage: FakeStage, ...replies: FakeReply[]) {
      scripts[stage].push(...replies);
    },
    /** Queues the same replies for all three stages. */
    scriptAll(...replies: FakeReply[]) {
      for (const stage of ['facts', 'description', 'seo'] as const) scripts[stage].push(...replies);
    },
    setDelay(ms: number) {
      defaultDelayMs = ms;
    },
    stageRequests: (stage: FakeStage) => requests.filter((r) => r.stage === stage),
    reset() {
      requests.length = 0;
      load.max = load.active;
      for (const stage of ['facts', 'description', 'seo'] as const) scripts[stage].length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type FakeOpenAi = Awaited<ReturnType<typeof startFakeOpenAi>>;
