/**
 * How a turn that does not answer says so in the chat: a failed step gets an error node and an
 * assistant message that names what failed; a stop before the answer began gets an empty
 * assistant message marked stopped. The message names a model of the settings revision the turn
 * took (so a settings change mid-turn does not show in it), as the answer would have.
 */
import type { Db } from 'mongodb';
import type { ChatMessage, ModelLabel } from '../../domain/chat';
import type { Env } from '../../domain/server/env';
import type { TurnContext } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import { emitSessionEvents, type SessionEvent } from '../../store/emit';
import { nodePayloadsById } from '../../store/graphStore';
import { getMessage, updateMessage } from '../../store/messageStore';
import { getTurn } from '../../store/turnStore';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { availableModels } from '../resolveModelClient';
import { assistantMessageId, linkNodeAndMessage, messageCreated, storeAssistantMessage } from './assistantMessage';

/**
 * The settings revision the turn's model_selector took (its stored output), read here rather than
 * told: a turn can fail inside the one activity that selected its models, before the workflow
 * learns the revision. Absent when the turn never selected them or predates revisions.
 */
async function turnSettingsRev(db: Db, turnId: string): Promise<number | undefined> {
  const selectorId = nodeIdFor(turnId, 'model_selector');
  const selector = (await nodePayloadsById(db, [selectorId], { input: 1, output: 1 })).get(selectorId);
  const rev = (selector?.output as { settingsRev?: unknown } | null | undefined)?.settingsRev;
  return typeof rev === 'number' ? rev : undefined;
}

/** The model a turn's failure or early stop is labelled with: the first of the turn's settings revision (else of the newest). */
async function turnModelLabel(db: Db, env: Env, turnId: string): Promise<ModelLabel> {
  return (await availableModels(db, env, { settingsRev: await turnSettingsRev(db, turnId) })).models[0].label;
}

export function createFailureReportActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  return {
    /**
     * A step failed: an error node under it (and after the decision that gave up, if one did)
     * and an assistant message that says what failed. Unless the turn has ended already: the
     * streamed answer records the turn's last node and its end itself (workflows/chatTurn.ts,
     * `learnAfter`), and when that activity is lost afterwards (every attempt timed out on an
     * overloaded worker) the workflow comes here about a turn the person saw complete. Its end
     * stands, and nothing joins a turn after it ended; the last node is returned.
     */
    async reportFailure(ctx: TurnContext, failedNodeId: string | null, error: string, after?: string): Promise<string> {
      const turn = await getTurn(db, ctx.turnId);
      if (turn && turn.status !== 'running') return nodeIdFor(ctx.turnId, 'learning');
      const nodeId = nodeIdFor(ctx.turnId, 'error');
      const messageId = assistantMessageId(ctx.turnId);
      await runAsNode(
        deps,
        ctx,
        {
          id: nodeId,
          type: 'error',
          label: 'Error',
          parentId: failedNodeId,
          alsoAfter: after ? [after] : [],
          input: { error },
        },
        async () => {
          const existing = await getMessage(db, messageId);
          const content = `Sorry, this turn failed: ${error}`;
          // Its own key: the answer may already have been announced complete before the failure.
          const failed = (message: ChatMessage): SessionEvent => ({
            stream: 'chat',
            key: `${messageId}:failed`,
            data: { type: 'message_completed', message },
          });
          if (existing) {
            // The answer may have begun streaming before the failure: keep what it said.
            const message = (await updateMessage(db, messageId, {
              status: 'error',
              error,
              content: existing.content || content,
            }))!;
            await emitSessionEvents(db, ctx.sessionId, [failed(message)]);
            await linkNodeAndMessage(deps, nodeId, messageId);
          } else {
            const model = await turnModelLabel(db, env, ctx.turnId);
            const message = await storeAssistantMessage(deps, ctx, { content, status: 'error', model, error }, nodeId);
            await emitSessionEvents(db, ctx.sessionId, [messageCreated(message), failed(message)]);
          }
          return { error };
        },
      );
      return nodeId;
    },

    /** Stop arrived before the answer began: say so in the chat. */
    async reportStoppedEarly(ctx: TurnContext): Promise<void> {
      const messageId = assistantMessageId(ctx.turnId);
      if (await getMessage(db, messageId)) return;
      const model = await turnModelLabel(db, env, ctx.turnId);
      const message = await storeAssistantMessage(deps, ctx, { content: '', status: 'stopped', model, error: null });
      await emitSessionEvents(db, ctx.sessionId, [
        messageCreated(message),
        { stream: 'chat', key: `${messageId}:completed`, data: { type: 'message_completed', message } },
      ]);
    },
  };
}
