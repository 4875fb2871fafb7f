import type { Intent, PlanStep } from '../domain/plan';

/**
 * The offline model's understanding of a message: deterministic pattern rules.
 * Each rule yields an intent and, where it can, the arguments for the step.
 */
const REMEMBER = /^(?:please\s+)?remember(?:\s+that)?\s+(.+)$/i;
const RECALL = /(?:what did i (?:tell|say to) you about|do you remember|what do you know about)\s+(.+?)\??$/i;
const UNIT = /(-?\d+(?:\.\d+)?)\s*([a-zA-Z°]+(?:\s?[a-zA-Z]+)?)\s+(?:to|in|into)\s+([a-zA-Z°]+(?:\s?[a-zA-Z]+)?)\s*\??$/i;
const ARITHMETIC_PREFIX = /^(?:what(?:'s| is)|calculate|compute|evaluate|how much is)\s+/i;
const MATH_CHARS = /^[\d\s+\-*/^%().,]*(?:(?:sqrt|abs|round|floor|ceil|sin|cos|tan|log|ln|min|max|pi|e)[\d\s+\-*/^%().,]*)*$/i;
const LONG_FORM = /\b(?:write|tell)\b.*\b(?:long|story|essay|poem)\b|\blong (?:story|answer|essay)\b/i;
const DOCS = /\b(?:evoscope|autonomy|sandbox|temporal|component|execution graph|offline model|workflow|node types?|events?|experiment|promot\w*|llm_base_url|openai)\b/i;

export interface OfflineReading {
  intent: Intent;
  steps: PlanStep[];
}

function arithmeticExpression(text: string): string | null {
  const candidate = text.trim().replace(ARITHMETIC_PREFIX, '').replace(/[?=!.]+$/, '').trim();
  if (!/\d/.test(candidate) || !MATH_CHARS.test(candidate)) return null;
  if (!/[+\-*/^%]|\b(?:sqrt|abs|round|floor|ceil|sin|cos|tan|log|ln|min|max)\b/i.test(candidate)) return null;
  return candidate;
}

export function readOffline(content: string): OfflineReading {
  const text = content.trim();
  const remember = REMEMBER.exec(text);
  if (remember) {
    return {
      intent: { intent: 'remember', confidence: 0.95, summary: `store a fact: ${remember[1]}` },
      steps: [{ id: 'step-1', kind: 'memory', component: 'session_memory', args: { op: 'remember', text: remember[1] }, reason: 'the user asked me to remember something' }],
    };
  }
  const recall = RECALL.exec(text);
  if (recall) {
    return {
      intent: { intent: 'recall', confidence: 0.9, summary: `recall facts about ${recall[1]}` },
      steps: [{ id: 'step-1', kind: 'memory', component: 'session_memory', args: { op: 'recall', query: recall[1] }, reason: 'the user asks about something they told me' }],
    };
  }
  const unit = UNIT.exec(text);
  if (unit && !arithmeticExpression(text)) {
    const [, value, from, to] = unit;
    return {
      intent: { intent: 'unit_conversion', confidence: 0.9, summary: `convert ${value} ${from} to ${to}` },
      steps: [{ id: 'step-1', kind: 'tool', component: 'unit_convert', args: { value: Number(value), from, to }, reason: 'a unit conversion was requested' }],
    };
  }
  const expression = arithmeticExpression(text);
  if (expression) {
    return {
      intent: { intent: 'arithmetic', confidence: 0.95, summary: `evaluate ${expression}` },
      steps: [{ id: 'step-1', kind: 'tool', component: 'calculator', args: { expression }, reason: 'the message is an arithmetic expression' }],
    };
  }
  if (LONG_FORM.test(text)) {
    return { intent: { intent: 'long_form', confidence: 0.7, summary: 'write a long piece of text' }, steps: [] };
  }
  if (DOCS.test(text)) {
    return {
      intent: { intent: 'docs_question', confidence: 0.75, summary: 'answer a question about Evoscope from its docs' },
      steps: [{ id: 'step-1', kind: 'rag', component: 'docs_retriever', args: { query: text }, reason: 'the question is about Evoscope; its docs have the answer' }],
    };
  }
  return { intent: { intent: 'chitchat', confidence: 0.5, summary: 'general conversation' }, steps: [] };
}
