using Mem0.Core.Common;
using Mem0.Core.Jobs;
using Microsoft.DurableTask;

namespace Mem0.Core.Tests.Jobs;

public sealed class JobRetryTests
{
    [Theory]
    [InlineData(typeof(ThrottledException), true)]
    [InlineData(typeof(HttpRequestException), true)]
    [InlineData(typeof(ConcurrencyConflictException), true)]
    [InlineData(typeof(ValidationException), false)]
    [InlineData(typeof(ExtractionFailedException), false)]
    [InlineData(typeof(InvalidOperationException), false)]
    public void IsTransient_ByExceptionType_RetriesOnlyTransientFailures(Type type, bool expected)
    {
        var failure = new TaskFailureDetails(type.FullName!, "x", null, null, null);

        Assert.Equal(expected, JobRetry.IsTransient(failure));
    }

    [Fact]
    public void Describe_DomainError_ShowsItsMessage_OtherErrors_HideDetails()
    {
        var domain = new TaskFailureDetails(typeof(ExtractionFailedException).FullName!, "The model returned no JSON.", null, null, null);
        var other = new TaskFailureDetails(typeof(NullReferenceException).FullName!, "Object reference not set at C:\\secret", null, null, null);

        Assert.Equal("The model returned no JSON.", JobRetry.Describe(domain));
        Assert.Equal("The job failed (NullReferenceException); see the server log.", JobRetry.Describe(other));
    }
}
