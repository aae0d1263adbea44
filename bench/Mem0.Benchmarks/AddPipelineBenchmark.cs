using System.Globalization;
using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;

namespace Mem0.Benchmarks;

/// <summary>
/// What one add costs in model round trips: LLM calls, prompt tokens (≈ characters / 4) and embedding calls,
/// per add path, with a scripted LLM so the figures depend only on the pipeline.
/// </summary>
public sealed class AddPipelineBenchmark : IBenchmark
{
    private const int Adds = 20;

    public string Name => "add";

    public string Description => "add pipeline: LLM calls, prompt tokens and embedding calls per add (scripted LLM)";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"{Adds} adds per row, each into a scope that already holds 10 memories.");
        output.WriteLine();
        output.WriteLine("| path | LLM calls / add | prompt tokens / add | embedding calls / add |");
        output.WriteLine("|---|---:|---:|---:|");

        var answerAdd = new ScriptedChatClient(_ => """{"memory": [{"event": "ADD", "text": "Plays chess on Fridays", "categories": ["hobbies"]}]}""");
        await RowAsync(output, "inference, new fact", answerAdd, (i, scope) => AddRequest(scope, $"I play chess on Fridays ({i})."), cancellationToken);

        var answerNone = new ScriptedChatClient(_ => """{"memory": [{"event": "NONE", "id": "0"}]}""");
        await RowAsync(output, "inference, known fact (model answers NONE)", answerNone, (i, scope) => AddRequest(scope, $"As I said, fact {i % 10} still holds."), cancellationToken);

        var unused = new ScriptedChatClient(_ => throw new InvalidOperationException("the short-circuit must not call the model"));
        await RowAsync(output, "hash short-circuit (text already stored)", unused, (i, scope) => AddRequest(scope, SeedFact(i % 10)), cancellationToken);

        await RowAsync(output, "heuristic extractor (no LLM)", null, (i, scope) => AddRequest(scope, $"My locker number is {i}."), cancellationToken);

        await RowAsync(output, "infer: false (two messages)", null, (i, scope) => AddRequest(scope, $"Note {i} one.", $"Note {i} two.") with { Infer = false }, cancellationToken);
    }

    private static async Task RowAsync(
        TextWriter output,
        string label,
        ScriptedChatClient? chat,
        Func<int, MemoryScope, AddMemoriesRequest> request,
        CancellationToken cancellationToken)
    {
        var harness = new EngineHarness(new InMemoryMemoryStore(), chat);
        long llm = 0, tokens = 0, embeddings = 0;
        for (var i = 0; i < Adds; i++)
        {
            var scope = new MemoryScope(UserId: $"user-{i}");
            var seed = Enumerable.Range(0, 10).Select(SeedFact).ToArray();
            await harness.Service.AddAsync(AddRequest(scope, seed) with { Infer = false }, cancellationToken);

            var result = await harness.Service.AddAsync(request(i, scope), cancellationToken);
            llm += result.LlmCalls;
            tokens += result.PromptTokens;
            embeddings += result.EmbeddingCalls;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {label} | {(double)llm / Adds:0.##} | {(double)tokens / Adds:0} | {(double)embeddings / Adds:0.##} |"));
    }

    private static string SeedFact(int index) => index switch
    {
        0 => "I live in Lisbon.",
        1 => "I work as a nurse.",
        2 => "My sister is called Ana.",
        3 => "I am allergic to peanuts.",
        4 => "I prefer tea over coffee.",
        5 => "My dog is named Bolt.",
        6 => "I run every morning.",
        7 => "I am learning Japanese.",
        8 => "My birthday is on 3 March.",
        _ => "I drive an electric car.",
    };

    private static AddMemoriesRequest AddRequest(MemoryScope scope, params string[] messages) =>
        EngineHarness.Add(scope, messages);
}
