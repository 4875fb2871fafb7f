import { workerSlots } from '../../worker/workerSlots';

/** The worker's workflow-task slots grow with the cores, within what the SDK accepts (polls 2..slots). */
test.each([
  [1, 5, 2],
  [2, 10, 5],
  [4, 20, 10],
  [16, 40, 20],
])('%i cores: %i workflow tasks at once, %i polls', (cores, tasks, polls) => {
  expect(workerSlots(cores)).toEqual({ maxConcurrentWorkflowTaskExecutions: tasks, maxConcurrentWorkflowTaskPolls: polls });
});
