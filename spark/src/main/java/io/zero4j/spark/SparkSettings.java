package io.zero4j.spark;

import io.zero4j.trainer.config.RunConfig;
import org.apache.spark.SparkConf;

/**
 * The Spark configuration of {@code rollout.spark}: the master, the executors asked for, and what
 * each executor JVM needs to run zero4j. The executors take this JVM's classpath, so zero4j must sit
 * at the same path on every node (one machine, a shared folder, or the same install everywhere).
 * Any {@code -Dspark.*} option given to this JVM ({@code ZERO4J_JAVA_OPTS}) is passed on too.
 */
final class SparkSettings {
    private SparkSettings() {
    }

    static SparkConf conf(RunConfig.Spark s) {
        String cores = Integer.toString(s.executorCores());
        SparkConf conf = new SparkConf(true) // true: -Dspark.* system properties first
                .setMaster(s.master())
                .setAppName("zero4j rollouts")
                .setIfMissing("spark.ui.enabled", "false")
                .set("spark.executor.instances", Integer.toString(s.executors()))
                .set("spark.executor.cores", cores)
                .set("spark.task.cpus", cores) // one sampling task per executor at a time, on all its cores
                .set("spark.cores.max", Integer.toString(s.executors() * s.executorCores()))
                .set("spark.executor.memory", s.executorMemory())
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                // libtorch's intra-op threads: as many as the executor's cores, read when the engine starts
                .set("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=" + cores
                        + " -Dai.djl.pytorch.num_interop_threads=1")
                .set("spark.executorEnv.DJL_OFFLINE", "true")
                .set("spark.executorEnv.OMP_NUM_THREADS", cores)
                .set("spark.executorEnv.GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");
        if (isLoopback(s.master())) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    private static boolean isLoopback(String master) {
        return master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost");
    }
}
