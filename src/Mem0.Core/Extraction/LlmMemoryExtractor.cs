using Mem0.Core.Common;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Extraction;

/// <summary>
/// Extraction and reconciliation in one structured (JSON mode) chat call. An unusable reply gets exactly one
/// retry that tells the model what was wrong; a second failure is an <see cref="ExtractionFailedException"/>.
/// </summary>
public sealed partial class LlmMemoryExtractor
{
    private readonly IChatClient _chatClient;
    private readonly ILogger _logger;

    public LlmMemoryExtractor(IChatClient chatClient, ILogger logger)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public async Task<ExtractionOutcome> ExtractAsync(ExtractionContext context, CancellationToken cancellationToken = default)
    {
        var messages = ExtractionPrompt.Build(context).ToList();
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0f };
        var calls = 0;
        long promptTokens = 0;
        string? lastError = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            ChatResponse response;
            try
            {
                calls++;
                response = await _chatClient.GetResponseAsync(messages, options, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not Mem0Exception)
            {
                LogModelCallFailed(_logger, ex);
                throw new ExtractionFailedException("The language model call failed; no memories were changed.", ex);
            }

            promptTokens += response.Usage?.InputTokenCount ?? 0;
            var reply = response.Text;
            try
            {
                return new ExtractionOutcome(ExtractionResponseParser.Parse(reply), calls, promptTokens);
            }
            catch (ExtractionFormatException ex)
            {
                lastError = ex.Message;
                LogUnusableReply(_logger, attempt, ex.Message);
                messages.Add(new ChatMessage(ChatRole.Assistant, reply ?? ""));
                messages.Add(ExtractionPrompt.Retry(ex.Message));
            }
        }

        throw new ExtractionFailedException($"The language model returned unusable output twice ({lastError}); no memories were changed.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extraction reply {Attempt} was unusable: {Problem}")]
    private static partial void LogUnusableReply(ILogger logger, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The extraction model call failed")]
    private static partial void LogModelCallFailed(ILogger logger, Exception exception);
}
