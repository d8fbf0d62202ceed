package io.github.twodwsgi.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Lending idle worker connections and handing returned ones to waiting requests.
 */
class IdleConnectionsTests {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final IdleConnections idle = new IdleConnections();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void idleWorkersAreLentMostRecentlyUsedFirstOnTheCallersThread() throws Exception {
		WorkerConnection first = worker(1);
		WorkerConnection second = worker(2);
		this.idle.offer(first);
		this.idle.offer(second);
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		assertThat(this.idle.take(SECOND, (worker) -> ranOn.set(Thread.currentThread()))).isSameAs(second);
		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
		assertThat(this.idle.take(SECOND, (worker) -> { })).isSameAs(first);
		assertThat(this.idle.size()).isZero();
	}

	@Test
	void aReturnedWorkerGoesToTheLongestWaitingRequestAndTheReturningThreadSendsIt() throws Exception {
		Map<String, Thread> assignedOn = new ConcurrentHashMap<>();
		Future<WorkerConnection> early = waitFor("early", assignedOn);
		await().until(() -> waiting() == 1);
		Future<WorkerConnection> late = waitFor("late", assignedOn);
		await().until(() -> waiting() == 2);
		WorkerConnection worker = worker(1);
		this.idle.offer(worker);
		assertThat(early.get(5, TimeUnit.SECONDS)).isSameAs(worker);
		assertThat(assignedOn.get("early")).isSameAs(Thread.currentThread());
		assertThat(late.isDone()).isFalse();
		this.idle.offer(worker);
		assertThat(late.get(5, TimeUnit.SECONDS)).isSameAs(worker);
		assertThat(this.idle.size()).isZero();
	}

	@Test
	void aWaitThatTimesOutGetsNothingAndLosesNothing() throws Exception {
		assertThat(this.idle.take(TimeUnit.MILLISECONDS.toNanos(50), (worker) -> { })).isNull();
		WorkerConnection worker = worker(1);
		this.idle.offer(worker);
		assertThat(this.idle.size()).isOne();
	}

	@Test
	void anInterruptedWaitThrowsAndTheWorkerOfferedLaterStaysIdle() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicReference<Thread> waiter = new AtomicReference<>();
		Future<WorkerConnection> interrupted = this.threads.submit(() -> {
			waiter.set(Thread.currentThread());
			started.countDown();
			return this.idle.take(10 * SECOND, (worker) -> { });
		});
		started.await();
		await().until(() -> waiting() == 1);
		waiter.get().interrupt();
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> interrupted.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(InterruptedException.class);
		this.idle.offer(worker(1));
		assertThat(this.idle.size()).isOne();
	}

	@Test
	void anInterruptedReturningThreadLeavesTheSendingToTheWaiter() throws Exception {
		Map<String, Thread> assignedOn = new ConcurrentHashMap<>();
		AtomicReference<Thread> waiterThread = new AtomicReference<>();
		Future<WorkerConnection> waiting = this.threads.submit(() -> {
			waiterThread.set(Thread.currentThread());
			return this.idle.take(10 * SECOND, (worker) -> assignedOn.put("waiter", Thread.currentThread()));
		});
		await().until(() -> waiting() == 1);
		Thread.currentThread().interrupt();
		try {
			this.idle.offer(worker(1));
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}
		assertThat(waiting.get(5, TimeUnit.SECONDS)).isNotNull();
		assertThat(assignedOn.get("waiter")).isSameAs(waiterThread.get());
	}

	@Test
	void workersThatExitedWhileIdleAreSkipped() throws Exception {
		WorkerConnection dead = worker(1);
		WorkerConnection alive = worker(2);
		this.idle.offer(alive);
		this.idle.offer(dead);
		dead.worker().markExited();
		assertThat(this.idle.take(SECOND, (worker) -> { })).isSameAs(alive);
	}

	@Test
	void underContentionEachWorkerServesOneRequestAtATimeAndNoneIsLost() throws Exception {
		List<WorkerConnection> workers = List.of(worker(1), worker(2));
		workers.forEach(this.idle::offer);
		Map<WorkerConnection, AtomicInteger> inUse = new ConcurrentHashMap<>();
		workers.forEach((worker) -> inUse.put(worker, new AtomicInteger()));
		AtomicInteger overlaps = new AtomicInteger();
		AtomicInteger served = new AtomicInteger();
		List<Future<?>> clients = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			clients.add(this.threads.submit(() -> {
				for (int n = 0; n < 2000; n++) {
					WorkerConnection worker = this.idle.take(10 * SECOND, (lent) -> {
						if (inUse.get(lent).incrementAndGet() != 1) {
							overlaps.incrementAndGet();
						}
					});
					assertThat(worker).isNotNull();
					served.incrementAndGet();
					inUse.get(worker).decrementAndGet();
					this.idle.offer(worker);
				}
				return null;
			}));
		}
		for (Future<?> client : clients) {
			client.get(60, TimeUnit.SECONDS);
		}
		assertThat(served.get()).isEqualTo(16000);
		assertThat(overlaps.get()).isZero();
		assertThat(this.idle.size()).isEqualTo(2);
	}

	private Future<WorkerConnection> waitFor(String name, Map<String, Thread> assignedOn) {
		return this.threads.submit(() -> this.idle.take(10 * SECOND,
				(worker) -> assignedOn.put(name, Thread.currentThread())));
	}

	private int waiting() {
		return this.idle.waiting();
	}

	@Test
	void connectionsOfAWorkerThatTakesNoMoreRequestsAreNeitherLentNorKeptAndLentOnesAreCounted() throws Exception {
		Worker worker = new Worker(process(1), Arrays.asList(null, null), "3");
		WorkerConnection first = worker.connections().get(0);
		WorkerConnection second = worker.connections().get(1);
		this.idle.offer(first);
		this.idle.offer(second);
		assertThat(this.idle.take(SECOND, (lent) -> { })).isSameAs(second);
		assertThat(worker.isIdle()).isFalse();
		worker.stopTakingRequests();
		assertThat(this.idle.take(TimeUnit.MILLISECONDS.toNanos(20), (lent) -> { })).isNull();
		assertThat(worker.giveBack()).isZero();
		assertThat(this.idle.offer(second)).isFalse();
		assertThat(this.idle.size()).isZero();
	}

	@Test
	void removingAWorkerRemovesAllItsIdleConnectionsOnly() {
		Worker two = new Worker(process(1), Arrays.asList(null, null), "3");
		WorkerConnection other = worker(2);
		two.connections().forEach(this.idle::offer);
		this.idle.offer(other);
		this.idle.removeAll(two);
		assertThat(this.idle.size()).isOne();
	}

	private static WorkerConnection worker(long pid) {
		return new Worker(process(pid), Arrays.asList((FrameChannel) null), "3").connections().get(0);
	}

	private static WorkerProcess process(long pid) {
		WorkerProcess process = mock(WorkerProcess.class);
		given(process.pid()).willReturn(pid);
		return process;
	}

}
