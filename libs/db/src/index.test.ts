import { WorkspaceRepository } from './index';

class Thing {
  workspaceId: string;
  name: string;
}

function fakeRepository() {
  const calls: unknown[] = [];
  const record = (name: string) => (arg: unknown) => {
    calls.push({ name, arg });
    return Promise.resolve(name === 'update' || name === 'delete' ? { affected: 1 } : []);
  };
  return {
    calls,
    repo: { find: record('find'), countBy: record('countBy'), update: (w: unknown) => record('update')(w) } as never,
  };
}

describe('WorkspaceRepository', () => {
  it('adds the workspace to plain and OR (array) where clauses', async () => {
    const { calls, repo } = fakeRepository();
    const scoped = new WorkspaceRepository<Thing>(repo, 'ws-1');
    await scoped.find({ where: [{ name: 'a' }, { name: 'b' }] });
    await scoped.find();
    await scoped.count({ name: 'a' });
    await scoped.update({ name: 'a' }, { name: 'b' });
    expect(calls).toEqual([
      { name: 'find', arg: { where: [{ name: 'a', workspaceId: 'ws-1' }, { name: 'b', workspaceId: 'ws-1' }] } },
      { name: 'find', arg: { where: { workspaceId: 'ws-1' } } },
      { name: 'countBy', arg: { name: 'a', workspaceId: 'ws-1' } },
      { name: 'update', arg: { name: 'a', workspaceId: 'ws-1' } },
    ]);
  });

  it('cannot be overridden by a workspaceId in the where clause', async () => {
    const { calls, repo } = fakeRepository();
    await new WorkspaceRepository<Thing>(repo, 'ws-1').find({ where: { workspaceId: 'ws-2' } });
    expect(calls).toEqual([{ name: 'find', arg: { where: { workspaceId: 'ws-1' } } }]);
  });
});
