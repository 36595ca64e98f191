package org.mqn4j.search;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * The first {@code limit} candidates of an Arbiter generator. Arbiter's random search never runs out and its
 * runner queues a new candidate whenever a slot frees, so without a limit a search with two slots would start
 * trials past its termination condition.
 */
final class CandidateLimit implements CandidateGenerator {
    private final CandidateGenerator delegate;
    private final int limit;
    private int issued;

    CandidateLimit(CandidateGenerator delegate, int limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public synchronized boolean hasMoreCandidates() {
        return issued < limit && delegate.hasMoreCandidates();
    }

    @Override
    public synchronized Candidate getCandidate() {
        if (!hasMoreCandidates()) {
            throw new IllegalStateException("no candidates left (" + limit + " issued)");
        }
        issued++;
        return delegate.getCandidate();
    }

    @Override
    public void reportResults(OptimizationResult result) {
        delegate.reportResults(result);
    }

    @Override
    public ParameterSpace<?> getParameterSpace() {
        return delegate.getParameterSpace();
    }

    @Override
    public void setRngSeed(long rngSeed) {
        delegate.setRngSeed(rngSeed);
    }

    @Override
    public Class<?> getCandidateType() {
        return delegate.getCandidateType();
    }
}
