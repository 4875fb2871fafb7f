/**
 * How a turn that does not answer says so in the chat: a failed step gets an error node and an
 * assistant message that names what failed; a stop before the answer began gets an empty
 * assistant message marked stopped.
 */
import type { TurnContext } from '../../domain/turnContracts';
import { nodeIdFor } from '../../domain/workflowContracts';
import { emitChatEvent } from '../../store/emit';
import { getMessage, updateMessage } from '../../store/messageStore';
import type { ActivityDeps } from '../deps';
import { runAsNode } from '../nodeLifecycle';
import { resolveModelClient } from '../resolveModelClient';
import { assistantMessageId, linkNodeAndMessage, postAssistantMessage } from './assistantMessage';

export function createFailureReportActivities(deps: ActivityDeps) {
  const { db, env } = deps;
  return {
    /**
     * A step failed: an error node under it (and after the decision that gave up, if one did)
     * and an assistant message that says what failed.
     */
    async reportFailure(ctx: TurnContext, failedNodeId: string | null, error: string, after?: string): Promise<string> {
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
          // The answer may have begun streaming before the failure: keep what it said.
          const message = existing
            ? (await updateMessage(db, messageId, { status: 'error', error, content: existing.content || content }))!
            : await postAssistantMessage(deps, ctx, {
                id: messageId,
                content,
                status: 'error',
                node_ids: [],
                model: (await resolveModelClient(db, env)).label,
                error,
              });
          // Its own key: the answer may already have been announced complete before the failure.
          await emitChatEvent(db, ctx.sessionId, `${messageId}:failed`, { type: 'message_completed', message });
          await linkNodeAndMessage(deps, nodeId, messageId);
          return { error };
        },
      );
      return nodeId;
    },

    /** Stop arrived before the answer began: say so in the chat. */
    async reportStoppedEarly(ctx: TurnContext): Promise<void> {
      const messageId = assistantMessageId(ctx.turnId);
      if (await getMessage(db, messageId)) return;
      const model = (await resolveModelClient(db, env)).label;
      const message = await postAssistantMessage(deps, ctx, {
        id: messageId,
        content: '',
        status: 'stopped',
        node_ids: [],
        model,
        error: null,
      });
      await emitChatEvent(db, ctx.sessionId, `${messageId}:completed`, { type: 'message_completed', message });
    },
  };
}
