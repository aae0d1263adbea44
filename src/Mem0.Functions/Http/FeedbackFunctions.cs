using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Feedback on memories. Each function delegates to <see cref="FeedbackEndpoints"/>, the handler the local server maps too.</summary>
public sealed class FeedbackFunctions
{
    private readonly Mem0ApiServices _services;

    public FeedbackFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(CreateFeedback))]
    public Task<IResult> CreateFeedback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/feedback/")] HttpRequest request) =>
        FeedbackEndpoints.CreateAsync(request, _services);
}
